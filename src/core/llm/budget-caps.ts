/**
 * Spend caps: hourly, daily and monthly windows (UTC) and the admission rule for a reservation.
 * Pure: the ledger passes what was spent and reserved in each window and the time.
 */
export type CapName = 'hourly' | 'daily' | 'monthly';
export const CAP_NAMES: readonly CapName[] = ['hourly', 'daily', 'monthly'];

export type SpendCaps = { readonly [K in CapName]?: number | undefined };

export interface CapWindow {
  readonly cap: CapName;
  /** Window start, epoch ms (inclusive). */
  readonly start: number;
  /** Next window start = when this cap resets, epoch ms. */
  readonly resetsAt: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The UTC window of `cap` that contains `now`. */
export function capWindow(cap: CapName, now: number): CapWindow {
  if (cap === 'hourly') {
    const start = Math.floor(now / HOUR) * HOUR;
    return { cap, start, resetsAt: start + HOUR };
  }
  if (cap === 'daily') {
    const start = Math.floor(now / DAY) * DAY;
    return { cap, start, resetsAt: start + DAY };
  }
  const date = new Date(now);
  const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  return { cap, start, resetsAt: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
}

export interface CapExceeded {
  readonly cap: CapName;
  readonly limitUsd: number;
  /** Settled + reserved in the window, USD. */
  readonly committedUsd: number;
  readonly resetsAt: number;
}

/**
 * Whether `amountUsd` more may be reserved. `committed(start)` returns settled spend since `start`
 * plus every open reservation (open reservations count in every window: conservative, never
 * overshoots). Returns the first cap that would be exceeded, or undefined.
 */
export function checkCaps(caps: SpendCaps, amountUsd: number, now: number, committed: (windowStart: number) => number): CapExceeded | undefined {
  for (const cap of CAP_NAMES) {
    const limit = caps[cap];
    if (limit === undefined) continue;
    const window = capWindow(cap, now);
    const used = committed(window.start);
    // A tiny epsilon so float sums of many small costs do not refuse a call that exactly fits.
    if (used + amountUsd > limit + 1e-12) return { cap, limitUsd: limit, committedUsd: used, resetsAt: window.resetsAt };
  }
  return undefined;
}

/** One line for the notice: which cap tripped and when it resets. */
export function describeCapExceeded(exceeded: CapExceeded): string {
  return `the ${exceeded.cap} cloud budget of $${exceeded.limitUsd.toFixed(2)} is used up ($${exceeded.committedUsd.toFixed(4)} spent or reserved); it resets at ${new Date(exceeded.resetsAt).toISOString()}`;
}
