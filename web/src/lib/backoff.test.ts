import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('starts at 1 s and doubles per attempt without jitter', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 0))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('caps the base delay at 30 s', () => {
    expect(backoffDelay(5, 0)).toBe(30_000);
    expect(backoffDelay(50, 0)).toBe(30_000);
  });

  it('adds at most 30 % jitter', () => {
    expect(backoffDelay(0, 0.5)).toBe(1_150);
    expect(backoffDelay(0, 0.999_999)).toBeLessThanOrEqual(1_300);
    expect(backoffDelay(10, 0.999_999)).toBeLessThanOrEqual(39_000);
    expect(backoffDelay(10, 0.999_999)).toBeGreaterThan(30_000);
  });

  it('clamps out-of-range draws and negative attempts', () => {
    expect(backoffDelay(-3, -1)).toBe(1_000);
    expect(backoffDelay(0, 7)).toBe(1_300);
  });
});
