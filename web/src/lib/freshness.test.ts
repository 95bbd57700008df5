import { describe, expect, it } from 'vitest';
import { ClockOffset, dataAge, formatAge, freshnessLevel, thresholdsFromQuery } from './freshness.ts';

describe('ClockOffset', () => {
  it('is 0 before any message', () => {
    expect(new ClockOffset().offsetMs).toBe(0);
  });
  it('takes the largest recent sample because transit time only makes samples smaller', () => {
    const offset = new ClockOffset();
    offset.add(10_000, 5_000); // server 5 s ahead, no delay
    offset.add(11_000, 6_200); // same clock, 200 ms in transit
    expect(offset.offsetMs).toBe(5_000);
  });
  it('forgets samples outside its window', () => {
    const offset = new ClockOffset(2);
    offset.add(10_000, 0);
    offset.add(1_000, 0);
    offset.add(2_000, 0);
    expect(offset.offsetMs).toBe(2_000);
  });
});

describe('dataAge', () => {
  it('measures age on the server clock', () => {
    // local clock 5 s behind the server; data taken at server time 100 s, now local 97 s = server 102 s
    expect(dataAge(100_000, 97_000, 5_000)).toBe(2_000);
  });
  it('never returns a negative age', () => {
    expect(dataAge(100_000, 90_000, 0)).toBe(0);
  });
});

describe('freshnessLevel', () => {
  it('is fresh up to 30 s, a warning above, stale above 60 s', () => {
    expect(freshnessLevel(30_000)).toBe('fresh');
    expect(freshnessLevel(30_001)).toBe('warning');
    expect(freshnessLevel(60_001)).toBe('stale');
  });
  it('treats data never received as stale', () => {
    expect(freshnessLevel(undefined)).toBe('stale');
  });
});

describe('formatAge', () => {
  it('prints seconds, minutes, hours and days', () => {
    expect(formatAge(4_900)).toBe('4 s');
    expect(formatAge(125_000)).toBe('2 min');
    expect(formatAge(3_600_000)).toBe('1 h');
    expect(formatAge(7_500_000)).toBe('2 h 5 min');
    expect(formatAge(3 * 86_400_000)).toBe('3 d');
  });
});

describe('thresholdsFromQuery', () => {
  it('keeps the spec defaults without parameters', () => {
    expect(thresholdsFromQuery('')).toEqual({ warnMs: 30_000, bannerMs: 60_000 });
  });
  it('reads test overrides and ignores invalid values', () => {
    expect(thresholdsFromQuery('?staleWarnMs=1000&staleBannerMs=2000')).toEqual({ warnMs: 1_000, bannerMs: 2_000 });
    expect(thresholdsFromQuery('?staleWarnMs=abc&staleBannerMs=-5')).toEqual({ warnMs: 30_000, bannerMs: 60_000 });
  });
});
