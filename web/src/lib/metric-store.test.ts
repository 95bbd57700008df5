import { describe, expect, it } from 'vitest';
import { fraction, historyPoints, MetricStore, toPlotValues } from './metric-store.ts';

describe('MetricStore', () => {
  it('keeps at most 300 points per series', () => {
    const store = new MetricStore();
    for (let index = 1; index <= 1_000; index += 1) store.push('node:pve', index * 1_000, 0.5, 0.25);
    const series = store.get('node:pve')!;
    expect(series.time.length).toBe(300);
    expect(series.cpu.length).toBe(300);
    expect(series.time.last()).toBe(1_000);
  });

  it('ignores samples that are not newer than the last one', () => {
    const store = new MetricStore();
    store.push('node:pve', 2_000, 0.1, 0.1);
    store.push('node:pve', 2_000, 0.9, 0.9);
    store.push('node:pve', 1_000, 0.9, 0.9);
    expect(store.get('node:pve')!.cpu.toArray()).toEqual([0.1]);
  });

  it('evicts the oldest series beyond its cap', () => {
    const store = new MetricStore(10, 3);
    for (const key of ['a', 'b', 'c', 'd']) store.push(key, 1_000, 0, 0);
    expect(store.size).toBe(3);
    expect(store.get('a')).toBeUndefined();
  });

  it('stores unknown values as gaps, not zeros', () => {
    const store = new MetricStore();
    store.push('guest:101', 1_000, 0.2, undefined);
    expect(toPlotValues(store.get('guest:101')!.mem)).toEqual([null]);
  });
});

describe('fraction', () => {
  it('is undefined when a side is unknown or the total is zero', () => {
    expect(fraction(undefined, 10)).toBeUndefined();
    expect(fraction(1, undefined)).toBeUndefined();
    expect(fraction(1, 0)).toBeUndefined();
    expect(fraction(1, 4)).toBe(0.25);
  });
});

describe('MetricStore.seed', () => {
  it('prepends history older than the first live sample and keeps live samples', () => {
    const store = new MetricStore(5);
    store.push('node:pve', 10_000, 0.9, 0.9);
    store.seed('node:pve', [
      { atMs: 12_000, cpu: 0.1, mem: 0.1 },
      { atMs: 8_000, cpu: 0.2, mem: undefined },
      { atMs: 9_000, cpu: 0.3, mem: 0.3 },
    ]);
    const series = store.get('node:pve')!;
    expect(series.time.toArray()).toEqual([8, 9, 10]);
    expect(series.cpu.toArray()).toEqual([0.2, 0.3, 0.9]);
    expect(toPlotValues(series.mem)).toEqual([null, 0.3, 0.9]);
  });

  it('keeps only the newest points when history is longer than the buffer', () => {
    const store = new MetricStore(3);
    store.seed(
      'guest:101',
      [1, 2, 3, 4, 5].map((second) => ({ atMs: second * 1_000, cpu: second, mem: second })),
    );
    expect(store.get('guest:101')!.time.toArray()).toEqual([3, 4, 5]);
  });
});

describe('historyPoints', () => {
  it('reads node memory from memused/memtotal', () => {
    expect(historyPoints([{ time: 1_700_000_000, values: { cpu: 0.1, memused: 2, memtotal: 8 } }])[0]?.mem).toBe(0.25);
  });

  it('maps rrddata seconds and fields, leaving missing sources unknown', () => {
    expect(
      historyPoints([
        { time: 1_700_000_000, values: { cpu: 0.5, mem: 1, maxmem: 4 } },
        { time: 1_700_000_060, values: {} },
      ]),
    ).toEqual([
      { atMs: 1_700_000_000_000, cpu: 0.5, mem: 0.25 },
      { atMs: 1_700_000_060_000, cpu: undefined, mem: undefined },
    ]);
  });
});
