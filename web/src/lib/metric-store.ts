/**
 * Time series for the charts: one set of fixed-size ring buffers per node or guest (300 points by
 * default), and a cap on the number of series so that churn (guests created and destroyed) cannot
 * grow memory. Unknown values are stored as NaN and drawn as gaps, never as 0.
 */
import { RingBuffer } from './ring-buffer.ts';

export const POINTS_PER_SERIES = 300;
export const MAX_SERIES = 200;

/** Epoch seconds + CPU fraction + memory fraction, index-aligned. */
export interface MetricSeries {
  readonly time: RingBuffer;
  readonly cpu: RingBuffer;
  readonly mem: RingBuffer;
}

export class MetricStore {
  private readonly series = new Map<string, MetricSeries>();

  constructor(
    private readonly points = POINTS_PER_SERIES,
    private readonly maxSeries = MAX_SERIES,
  ) {}

  /**
   * Records one sample for `key` (e.g. `node:pve`, `guest:101`) at `atMs` (epoch ms, server clock).
   * A sample not newer than the series' last one is ignored (deltas can repeat after a refresh).
   */
  push(key: string, atMs: number, cpu: number | undefined, mem: number | undefined): void {
    let entry = this.series.get(key);
    if (!entry) {
      if (this.series.size >= this.maxSeries) {
        const oldest = this.series.keys().next().value;
        if (oldest !== undefined) this.series.delete(oldest);
      }
      entry = { time: new RingBuffer(this.points), cpu: new RingBuffer(this.points), mem: new RingBuffer(this.points) };
      this.series.set(key, entry);
    }
    const seconds = atMs / 1000;
    const last = entry.time.last();
    if (last !== undefined && seconds <= last) return;
    entry.time.push(seconds);
    entry.cpu.push(cpu ?? Number.NaN);
    entry.mem.push(mem ?? Number.NaN);
  }

  get(key: string): MetricSeries | undefined {
    return this.series.get(key);
  }

  /** Drops one series (a guest was removed). */
  delete(key: string): void {
    this.series.delete(key);
  }

  /** Drops everything (controlled reconnect after the heap guard fired). */
  clear(): void {
    this.series.clear();
  }

  get size(): number {
    return this.series.size;
  }
}

/** Fraction used/total, or undefined when either is unknown or total is 0. */
export function fraction(used: number | undefined, total: number | undefined): number | undefined {
  return used === undefined || total === undefined || total <= 0 ? undefined : used / total;
}

/** Converts a ring buffer of values (NaN = unknown) into uPlot data (null = gap). */
export function toPlotValues(buffer: RingBuffer): (number | null)[] {
  const out = new Array<number | null>(buffer.length);
  for (let index = 0; index < buffer.length; index += 1) {
    const value = buffer.at(index)!;
    out[index] = Number.isNaN(value) ? null : value;
  }
  return out;
}
