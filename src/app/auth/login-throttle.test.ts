import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

const options = { freeFailures: 2, baseLockMs: 100, maxLockMs: 350, maxKeys: 3, forgetAfterMs: 10_000 };

describe('LoginThrottle', () => {
  it('locks after the free failures, doubling up to the cap', () => {
    const throttle = new LoginThrottle(options);
    expect([1, 2, 3, 4, 5, 6].map(() => throttle.recordFailure('ip', 'admin', 0))).toEqual([0, 0, 100, 200, 350, 350]);
    expect(throttle.retryAfterMs('ip', 'ADMIN', 100)).toBe(250);
  });

  it('forgets idle keys and keeps at most maxKeys keys', () => {
    const throttle = new LoginThrottle(options);
    for (let index = 0; index < 3; index += 1) throttle.recordFailure('ip', 'admin', 0);
    expect(throttle.retryAfterMs('ip', 'admin', 20_000)).toBe(0);
    for (let index = 0; index < 10; index += 1) throttle.recordFailure(`ip${index}`, 'x', 0);
    expect(throttle.size).toBe(3);
  });
});
