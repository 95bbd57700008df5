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

  /**
   * Prepends history (e.g. PVE rrddata from GET /api/history) to a series: points older than its
   * first live sample are merged in time order, the newest `points` are kept. Live samples win.
   */
  seed(key: string, history: readonly { atMs: number; cpu: number | undefined; mem: number | undefined }[]): void {
    const live = this.series.get(key);
    const firstLive = live?.time.at(0) ?? Number.POSITIVE_INFINITY;
    const older = history.filter((point) => point.atMs / 1000 < firstLive).sort((a, b) => a.atMs - b.atMs);
    if (older.length === 0) return;
    const entry: MetricSeries = { time: new RingBuffer(this.points), cpu: new RingBuffer(this.points), mem: new RingBuffer(this.points) };
    let last = Number.NEGATIVE_INFINITY;
    for (const point of older) {
      if (point.atMs / 1000 <= last) continue;
      last = point.atMs / 1000;
      entry.time.push(last);
      entry.cpu.push(point.cpu ?? Number.NaN);
      entry.mem.push(point.mem ?? Number.NaN);
    }
    if (live) {
      for (let index = 0; index < live.time.length; index += 1) {
        entry.time.push(live.time.at(index)!);
        entry.cpu.push(live.cpu.at(index)!);
        entry.mem.push(live.mem.at(index)!);
      }
      this.series.delete(key);
    } else if (this.series.size >= this.maxSeries) {
      const oldest = this.series.keys().next().value;
      if (oldest !== undefined) this.series.delete(oldest);
    }
    this.series.set(key, entry);
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

/**
 * Maps PVE rrddata samples (GET /api/history) to chart points: `time` in epoch seconds (ms
 * accepted), CPU fraction from `cpu`, memory fraction from `mem`/`maxmem` (guests) or
 * `memused`/`memtotal` (nodes). Missing data sources
 * stay unknown (gaps), never 0.
 */
export function historyPoints(
  samples: readonly { time: number; values: Readonly<Record<string, number>> }[],
): { atMs: number; cpu: number | undefined; mem: number | undefined }[] {
  return samples.map((sample) => ({
    atMs: sample.time < 1e11 ? sample.time * 1000 : sample.time,
    cpu: sample.values['cpu'],
    // guests report mem/maxmem, nodes memused/memtotal (PVE rrddata field names)
    mem: fraction(sample.values['mem'] ?? sample.values['memused'], sample.values['maxmem'] ?? sample.values['memtotal']),
  }));
}
