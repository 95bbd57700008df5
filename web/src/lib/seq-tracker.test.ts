import { describe, expect, it } from 'vitest';
import { SeqTracker, classifySeq } from './seq-tracker.ts';

describe('classifySeq', () => {
  it('accepts any seq as the first baseline', () => {
    expect(classifySeq(undefined, 42)).toBe('first');
  });
  it('applies exactly the next seq', () => {
    expect(classifySeq(7, 8)).toBe('next');
  });
  it('ignores replays and messages older than the snapshot', () => {
    expect(classifySeq(7, 7)).toBe('duplicate');
    expect(classifySeq(7, 3)).toBe('duplicate');
  });
  it('reports a gap when a message was skipped', () => {
    expect(classifySeq(7, 9)).toBe('gap');
  });
});

describe('SeqTracker', () => {
  it('advances on first and next, not on duplicate or gap', () => {
    const tracker = new SeqTracker();
    expect(tracker.accept(10)).toBe('first');
    expect(tracker.accept(11)).toBe('next');
    expect(tracker.accept(11)).toBe('duplicate');
    expect(tracker.accept(13)).toBe('gap');
    expect(tracker.lastSeq).toBe(11);
  });
  it('takes the seq of an HTTP snapshot as the baseline so older deltas are dropped', () => {
    const tracker = new SeqTracker();
    tracker.baseline(20);
    expect(tracker.accept(19)).toBe('duplicate');
    expect(tracker.accept(21)).toBe('next');
  });
  it('forgets the baseline on reset (a new connection)', () => {
    const tracker = new SeqTracker();
    tracker.accept(5);
    tracker.reset();
    expect(tracker.accept(1)).toBe('first');
  });
});
