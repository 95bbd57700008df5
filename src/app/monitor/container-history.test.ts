import { describe, expect, it } from 'vitest';
import type { MonitorHistory } from '../../core/anomaly/index.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { containerHistoryFrom, containerHistoryKeeper } from './container-history.ts';

const T0 = 1_800_000_000_000;
const WINDOW = 10 * 60_000;
const HOSTS = ['docker@103'];

/** A named-state store that counts its writes. */
function stateStore() {
  const states = new Map<string, string>();
  let writes = 0;
  return {
    loadState: (name: string): unknown => (states.has(name) ? JSON.parse(states.get(name)!) : undefined),
    saveState(name: string, value: unknown) {
      writes += 1;
      states.set(name, JSON.stringify(value));
    },
    writes: () => writes,
  };
}

const history = (entries: [string, { count: number; restarts: number[]; state: string }][]): MonitorHistory['containers'] => new Map(entries);

describe('the container restart history kept across a restart', () => {
  it('comes back as saved for the hosts still read, within the window of the start', () => {
    const store = stateStore();
    const saved = history([
      ['docker@103/kuma', { count: 7, restarts: [T0 - 60_000, T0], state: 'restarting' }],
      ['docker@104/old', { count: 1, restarts: [T0], state: 'running' }],
    ]);
    containerHistoryKeeper(store, WINDOW, silentLogger).observed(saved, T0);
    const restored = containerHistoryKeeper(store, WINDOW, silentLogger).restore(T0 + 2 * 60_000, HOSTS);
    expect([...restored]).toEqual([['docker@103/kuma', { count: 7, restarts: [T0 - 60_000, T0], state: 'restarting' }]]);
    expect(containerHistoryKeeper(store, WINDOW, silentLogger).restore(T0 + 2 * 60_000, []).size).toBe(0);
  });

  it('is bounded in age: a copy older than the window is not used, restart times outside it are dropped', () => {
    const store = stateStore();
    containerHistoryKeeper(store, WINDOW, silentLogger).observed(
      history([['docker@103/kuma', { count: 3, restarts: [T0 - 9 * 60_000, T0], state: 'running' }]]),
      T0,
    );
    const keeper = containerHistoryKeeper(store, WINDOW, silentLogger);
    expect(keeper.restore(T0 + 5 * 60_000, HOSTS).get('docker@103/kuma')?.restarts).toEqual([T0]);
    expect(keeper.restore(T0 + WINDOW + 1, HOSTS).size).toBe(0);
  });

  it('is bounded in size: at most 1000 containers and the newest 1000 restart times each', () => {
    const many = Array.from({ length: 1200 }, (_, index) => T0 - 1200 + index);
    const entries = Array.from({ length: 1100 }, (_, index): [string, { count: number; restarts: number[]; state: string }] => [
      `docker@103/c${index}`,
      { count: 1, restarts: index === 0 ? many : [], state: 'running' },
    ]);
    const store = stateStore();
    containerHistoryKeeper(store, WINDOW, silentLogger).observed(history(entries), T0);
    const restored = containerHistoryKeeper(store, WINDOW, silentLogger).restore(T0, HOSTS);
    expect(restored.size).toBe(1000);
    expect(restored.get('docker@103/c0')?.restarts).toEqual(many.slice(-1000));
  });

  it('writes when the history changed or the saved copy is half a window old, not at every read', () => {
    const store = stateStore();
    const keeper = containerHistoryKeeper(store, WINDOW, silentLogger);
    const steady = history([['docker@103/kuma', { count: 2, restarts: [], state: 'running' }]]);
    keeper.observed(steady, T0);
    keeper.observed(steady, T0 + 60_000);
    expect(store.writes()).toBe(1);
    keeper.observed(history([['docker@103/kuma', { count: 3, restarts: [T0 + 120_000], state: 'running' }]]), T0 + 120_000);
    expect(store.writes()).toBe(2);
    keeper.observed(history([['docker@103/kuma', { count: 3, restarts: [T0 + 120_000], state: 'running' }]]), T0 + 120_000 + WINDOW / 2);
    expect(store.writes()).toBe(3);
  });

  it('reads a malformed or missing copy as empty, and a store that throws costs only the history', () => {
    expect(containerHistoryFrom(undefined, T0, WINDOW).size).toBe(0);
    expect(
      containerHistoryFrom({ at: T0, containers: [['docker@103/a', { count: 'x' }], 'junk', ['docker@103/b', { count: 1, state: 'running' }]] }, T0, WINDOW),
    ).toEqual(new Map([['docker@103/b', { count: 1, restarts: [], state: 'running' }]]));
    const broken = {
      loadState: () => {
        throw new Error('disk gone');
      },
      saveState: () => {
        throw new Error('disk gone');
      },
    };
    const keeper = containerHistoryKeeper(broken, WINDOW, silentLogger);
    expect(keeper.restore(T0, HOSTS).size).toBe(0);
    expect(() => keeper.observed(history([]), T0)).not.toThrow();
  });
});
