/**
 * rrddata synthesised from current values: 70 slots (PVE ≤ 8 layout) whose values wander around
 * the live figure by a stateless hash of (series, slot), so repeated calls agree with each other.
 * @see reference pve-api.md §5.8
 */
import { hashUnit } from '../prng.ts';

export const TIMEFRAMES: Readonly<Record<string, number>> = { hour: 60, day: 1800, week: 10_800, month: 43_200, year: 604_800 };
const SLOTS = 70;

export interface SeriesSpec {
  /** Stable key of the series (e.g. `node/agent1`). */
  readonly key: string;
  /** Current value per data source; fractions are kept in [0, 1], `max*`/`*total` stay constant. */
  readonly values: Readonly<Record<string, number>>;
}

const CONSTANT = /^(max|.*total$)/;
const FRACTION = new Set(['cpu', 'iowait']);

/** Samples `[{time, <ds>: value}]`, oldest first, ending at the current slot. */
export function rrdSamples(series: SeriesSpec, timeframe: string, nowSeconds: number): Record<string, number>[] {
  const step = TIMEFRAMES[timeframe] ?? 60;
  const last = Math.floor(nowSeconds / step) * step;
  const out: Record<string, number>[] = [];
  for (let slot = SLOTS - 1; slot >= 0; slot--) {
    const time = last - slot * step;
    const sample: Record<string, number> = { time };
    for (const [name, value] of Object.entries(series.values)) {
      if (CONSTANT.test(name)) {
        sample[name] = value;
        continue;
      }
      const wobble = 1 + (hashUnit(series.key, time, name.length) - 0.5) * 0.4;
      const v = slot === 0 ? value : value * wobble;
      sample[name] = FRACTION.has(name) ? Math.min(1, Math.max(0, v)) : Math.max(0, v);
    }
    out.push(sample);
  }
  return out;
}
