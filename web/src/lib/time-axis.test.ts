import { describe, expect, it } from 'vitest';
import { timeAxisLabel } from './time-axis.ts';

describe('time axis labels', () => {
  const at = new Date(2025, 11, 2, 14, 5).getTime() / 1000; // local Dec 2 2025, 14:05
  it('writes the date for day, week, month and year ranges, the clock for the hour', () => {
    expect(timeAxisLabel('hour', at)).toBe('14:05');
    expect(timeAxisLabel('day', at)).toBe('Dec 2 14:05');
    expect(timeAxisLabel('week', at)).toBe('Dec 2 14:05');
    expect(timeAxisLabel('month', at)).toBe('Dec 2');
    expect(timeAxisLabel('year', at)).toBe("Dec 2 '25");
  });
});
