import { describe, expect, it } from 'vitest';
import { formatBytes, formatFraction, formatUptime, formatUsage, UNKNOWN, formatElapsed } from './format.ts';

describe('format', () => {
  it('shows unknown figures as a dash, never as 0', () => {
    expect(formatBytes(undefined)).toBe(UNKNOWN);
    expect(formatFraction(undefined)).toBe(UNKNOWN);
    expect(formatUsage(undefined, 4096)).toBe(UNKNOWN);
    expect(formatUsage(1, undefined)).toBe(UNKNOWN);
    expect(formatUptime(undefined)).toBe(UNKNOWN);
  });
  it('keeps a real zero as zero', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatFraction(0)).toBe('0 %');
  });
  it('formats binary units and usage', () => {
    expect(formatBytes(1536 * 1024 * 1024)).toBe('1.5 GiB');
    expect(formatUsage(1024 ** 3, 4 * 1024 ** 3)).toBe('1.0 GiB / 4.0 GiB (25 %)');
  });
  it('formats uptime', () => {
    expect(formatUptime(42)).toBe('42 s');
    expect(formatUptime(3 * 86_400 + 4 * 3_600)).toBe('3 d 4 h');
  });
  it('writes a running duration to the second', () => {
    expect([formatElapsed(45_400), formatElapsed(130_000), formatElapsed(3_900_000)]).toEqual(['45 s', '2 min 10 s', '1 h 5 min']);
  });
});
