import { describe, expect, it } from 'vitest';
import { capWindow, checkCaps, describeCapExceeded } from './budget-caps.ts';

const at = (iso: string): number => Date.parse(iso);

describe('spend caps', () => {
  it('computes UTC hour, day and month windows and their resets', () => {
    const now = at('2026-12-31T23:30:00Z');
    expect(capWindow('hourly', now)).toEqual({ cap: 'hourly', start: at('2026-12-31T23:00:00Z'), resetsAt: at('2027-01-01T00:00:00Z') });
    expect(capWindow('daily', now).resetsAt).toBe(at('2027-01-01T00:00:00Z'));
    expect(capWindow('monthly', now)).toEqual({ cap: 'monthly', start: at('2026-12-01T00:00:00Z'), resetsAt: at('2027-01-01T00:00:00Z') });
  });

  it('names the first cap a reservation would exceed and when it resets', () => {
    const now = at('2026-12-04T15:10:00Z');
    const exceeded = checkCaps({ hourly: 1, daily: 5 }, 0.5, now, (start) => (start === capWindow('hourly', now).start ? 0.6 : 0.6));
    expect(exceeded?.cap).toBe('hourly');
    expect(describeCapExceeded(exceeded!)).toContain('resets at 2026-12-04T16:00:00.000Z');
    expect(checkCaps({ hourly: 1.1, daily: 5 }, 0.5, now, () => 0.6)).toBeUndefined();
  });

  it('lets a reservation that exactly fills a cap through', () => {
    expect(checkCaps({ daily: 0.3 }, 0.1, 0, () => 0.1 + 0.1)).toBeUndefined();
  });
});
