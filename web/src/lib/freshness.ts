/**
 * Honest freshness (seed pitfall 10): data age on the server's clock and the levels that drive
 * the per-section warning and the disconnection banner. Pure; the local time comes in as an argument.
 */
export interface FreshnessThresholds {
  /** Age above which a section shows "data may be stale" (spec: 30 s). */
  readonly warnMs: number;
  /** Age above which the disconnection banner shows (spec: 60 s). */
  readonly bannerMs: number;
}

export const DEFAULT_THRESHOLDS: FreshnessThresholds = { warnMs: 30_000, bannerMs: 60_000 };

export type FreshnessLevel = 'fresh' | 'warning' | 'stale';

/**
 * Estimates server-minus-client clock offset from message timestamps. Each sample
 * `serverTs - receivedAt` underestimates the true offset by the message's transit time, so the
 * largest recent sample is the best estimate. Keeps a bounded window of samples.
 */
export class ClockOffset {
  private readonly samples: number[] = [];
  constructor(private readonly window = 20) {}

  /** Records one message: `serverTs` from the envelope, `receivedAt` = local Date.now(). */
  add(serverTs: number, receivedAt: number): void {
    this.samples.push(serverTs - receivedAt);
    if (this.samples.length > this.window) this.samples.shift();
  }

  /** Milliseconds to add to the local clock to get server time (0 before any sample). */
  get offsetMs(): number {
    return this.samples.length === 0 ? 0 : Math.max(...this.samples);
  }

  reset(): void {
    this.samples.length = 0;
  }
}

/** Age in ms of data stamped `dataTs` (server clock), seen at local time `localNow`. Never negative. */
export function dataAge(dataTs: number, localNow: number, offsetMs: number): number {
  return Math.max(0, localNow + offsetMs - dataTs);
}

/** Level of an age against the thresholds; undefined age (never received) counts as stale. */
export function freshnessLevel(ageMs: number | undefined, thresholds: FreshnessThresholds = DEFAULT_THRESHOLDS): FreshnessLevel {
  if (ageMs === undefined || ageMs > thresholds.bannerMs) return 'stale';
  if (ageMs > thresholds.warnMs) return 'warning';
  return 'fresh';
}

/** Short human age: "3 s", "4 min", "2 h 5 min", "3 d". */
export function formatAge(ageMs: number): string {
  const seconds = Math.floor(ageMs / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d`;
}

/**
 * Reads thresholds from the page's query string (`?staleWarnMs=&staleBannerMs=`), used by the
 * end-to-end tests; anything missing or invalid keeps the spec defaults.
 */
export function thresholdsFromQuery(search: string): FreshnessThresholds {
  const params = new URLSearchParams(search);
  const read = (key: string, fallback: number): number => {
    const value = Number(params.get(key));
    return params.has(key) && Number.isFinite(value) && value > 0 ? value : fallback;
  };
  const warnMs = read('staleWarnMs', DEFAULT_THRESHOLDS.warnMs);
  const bannerMs = Math.max(read('staleBannerMs', DEFAULT_THRESHOLDS.bannerMs), warnMs);
  return { warnMs, bannerMs };
}
