/**
 * Login throttling per (client IP, user name): after `freeFailures` failures, each further failure
 * locks the key for base * 2^(extra failures - 1) ms, capped at `maxLockMs`. A success clears the key.
 * Memory is bounded: at most `maxKeys` keys (the oldest is evicted) and idle keys expire.
 */
export interface LoginThrottleOptions {
  readonly freeFailures: number;
  readonly baseLockMs: number;
  readonly maxLockMs: number;
  readonly maxKeys: number;
  /** A key with no failure for this long is forgotten. */
  readonly forgetAfterMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  freeFailures: 3,
  baseLockMs: 1_000,
  maxLockMs: 15 * 60_000,
  maxKeys: 10_000,
  forgetAfterMs: 60 * 60_000,
};

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {}

  private key(ip: string, user: string): string {
    return `${ip}\u0000${user.toLowerCase()}`;
  }

  /** Milliseconds the caller must wait before trying again; 0 when an attempt is allowed now. */
  retryAfterMs(ip: string, user: string, now: number): number {
    const entry = this.entries.get(this.key(ip, user));
    if (!entry) return 0;
    if (now - entry.lastFailure > this.options.forgetAfterMs) {
      this.entries.delete(this.key(ip, user));
      return 0;
    }
    return Math.max(0, entry.lockedUntil - now);
  }

  /** Records a failed attempt; returns the new lock duration in ms (0 while still free). */
  recordFailure(ip: string, user: string, now: number): number {
    const key = this.key(ip, user);
    const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: 0, lastFailure: now };
    this.entries.delete(key); // re-insert to keep Map order = recency
    entry.failures += 1;
    entry.lastFailure = now;
    const extra = entry.failures - this.options.freeFailures;
    const lockMs = extra > 0 ? Math.min(this.options.maxLockMs, this.options.baseLockMs * 2 ** (extra - 1)) : 0;
    entry.lockedUntil = now + lockMs;
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxKeys) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return lockMs;
  }

  recordSuccess(ip: string, user: string): void {
    this.entries.delete(this.key(ip, user));
  }

  get size(): number {
    return this.entries.size;
  }
}
