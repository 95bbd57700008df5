/**
 * Reconnection delay policy for the dashboard socket (seed pitfall 4, prevention 3):
 * exponential from 1 s, doubling per failed attempt, capped at 30 s, plus 0-30 % jitter.
 * Pure: the random draw comes in as an argument.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Upper bound of the jitter as a fraction of the base delay (0.3 = up to +30 %). */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, jitter: 0.3 };

/**
 * Delay before reconnect attempt number `attempt` (0 = first retry after a drop).
 * @param random a draw in [0, 1) (Math.random() in the browser, fixed in tests).
 * @returns milliseconds: min(initial * 2^attempt, max) * (1 + jitter * random).
 */
export function backoffDelay(attempt: number, random: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.min(attempt, 30));
  const base = Math.min(options.initialMs * 2 ** exponent, options.maxMs);
  const draw = Math.min(Math.max(random, 0), 1);
  return Math.round(base * (1 + options.jitter * draw));
}
