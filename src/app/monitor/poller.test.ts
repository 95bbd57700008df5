import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClusterSnapshot, Guest } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/ports/logger.ts';
import { createPoller, type PollResult } from './poller.ts';

function guest(vmid: number, status: string): Guest {
  return { vmid, type: 'qemu', node: 'pve', name: `vm${vmid}`, status, template: false, tags: [] };
}

function snapshot(takenAt: number, guests: Guest[]): ClusterSnapshot {
  return {
    version: 99,
    takenAt,
    quorum: { quorate: true, nodesTotal: 1, votesOnline: 1, votesTotal: 1, votesNeeded: 1 },
    nodes: [{ name: 'pve', status: 'online', votes: 1 }],
    guests,
    storage: [],
  };
}

/** A scripted ClusterApi.readSnapshot: each call takes the next step (value, error or throw). */
function scripted(clock: { now: number }, steps: Array<Guest[] | JarvisError | 'throw'>) {
  const calls: Array<{ timeoutMs?: number | undefined }> = [];
  return {
    calls,
    readSnapshot: async (options?: { timeoutMs?: number | undefined }): Promise<Result<ClusterSnapshot, JarvisError>> => {
      calls.push({ timeoutMs: options?.timeoutMs });
      const step = steps.shift();
      if (step === undefined) throw new Error('script exhausted');
      if (step === 'throw') throw new Error('adapter bug');
      if (!Array.isArray(step)) return err(step);
      clock.now += 5;
      return ok(snapshot(clock.now, step));
    },
  };
}

const unreachable = jarvisError('PVE_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:8006');

describe('poller', () => {
  afterEach(() => vi.useRealTimers());

  it('stamps its own monotonically increasing version and emits no events for the first snapshot', async () => {
    const clock = { now: 1_000 };
    const poller = createPoller(
      { cluster: scripted(clock, [[guest(101, 'running')]]), clock: { now: () => clock.now }, logger: silentLogger },
      { intervalMs: 1000 },
    );
    const result = await poller.tick();
    expect(result).toMatchObject({ ok: true, version: 1, events: [], durationMs: 5 });
    expect(poller.current()).toMatchObject({ version: 1, stale: false, ageMs: 0, consecutiveFailures: 0 });
    expect(poller.current().snapshot?.version).toBe(1);
  });

  it('emits diff events to subscribers when a guest stops', async () => {
    const clock = { now: 1_000 };
    const poller = createPoller(
      { cluster: scripted(clock, [[guest(101, 'running')], [guest(101, 'stopped')]]), clock: { now: () => clock.now }, logger: silentLogger },
      { intervalMs: 1000 },
    );
    const seen: PollResult[] = [];
    poller.subscribe((result) => seen.push(result));
    await poller.tick();
    await poller.tick();
    expect(seen).toHaveLength(2);
    const second = seen[1]!;
    expect(second.ok && second.version).toBe(2);
    expect(second.ok && second.events).toEqual([{ type: 'guest-stopped', vmid: 101, node: 'pve', at: 1_010 }]);
  });

  it('keeps the last-known snapshot, marks it stale and lets its age grow when polls fail', async () => {
    const clock = { now: 1_000 };
    const poller = createPoller(
      { cluster: scripted(clock, [[guest(101, 'running')], unreachable, unreachable]), clock: { now: () => clock.now }, logger: silentLogger },
      { intervalMs: 1000 },
    );
    await poller.tick();
    clock.now += 4_000;
    const failed = await poller.tick();
    expect(failed).toMatchObject({ ok: false, consecutiveFailures: 1 });
    expect(!failed.ok && failed.error.code).toBe('PVE_UNREACHABLE');
    clock.now += 1_000;
    await poller.tick();
    const state = poller.current();
    expect(state).toMatchObject({ version: 1, stale: true, ageMs: 5_000, consecutiveFailures: 2 });
    expect(state.snapshot?.takenAt).toBe(1_005);
    expect(state.lastError?.code).toBe('PVE_UNREACHABLE');
    expect(poller.stats()).toMatchObject({ polls: 3, failures: 2, failuresByCode: { PVE_UNREACHABLE: 2 } });
  });

  it('recovers after failures with the next version and clears the error', async () => {
    const clock = { now: 0 };
    const poller = createPoller(
      { cluster: scripted(clock, [[guest(101, 'running')], unreachable, [guest(101, 'running')]]), clock: { now: () => clock.now }, logger: silentLogger },
      { intervalMs: 1000 },
    );
    await poller.tick();
    await poller.tick();
    const result = await poller.tick();
    expect(result.ok && result.version).toBe(2);
    expect(poller.current()).toMatchObject({ stale: false, lastError: undefined, consecutiveFailures: 0 });
  });

  it('never throws: an adapter that throws becomes an error result', async () => {
    const clock = { now: 0 };
    const poller = createPoller({ cluster: scripted(clock, ['throw']), clock: { now: () => clock.now }, logger: silentLogger }, { intervalMs: 1000 });
    const result = await poller.tick();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('INTERNAL');
  });

  it('reports data older than staleAfterMs as stale even without a failed poll', async () => {
    const clock = { now: 0 };
    const poller = createPoller(
      { cluster: scripted(clock, [[]]), clock: { now: () => clock.now }, logger: silentLogger },
      { intervalMs: 1000, staleAfterMs: 2_500 },
    );
    expect(poller.current()).toMatchObject({ snapshot: undefined, stale: true, version: 0 });
    await poller.tick();
    clock.now += 2_000;
    expect(poller.current().stale).toBe(false);
    clock.now += 1_000;
    expect(poller.current().stale).toBe(true);
  });

  it('a throwing subscriber is logged and does not stop the others', async () => {
    const clock = { now: 0 };
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (_fields, message) => errors.push(message) };
    const poller = createPoller({ cluster: scripted(clock, [[]]), clock: { now: () => clock.now }, logger }, { intervalMs: 1000 });
    let reached = false;
    poller.subscribe(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = poller.subscribe(() => {
      reached = true;
    });
    await poller.tick();
    expect(reached).toBe(true);
    expect(errors).toEqual(['poll listener failed']);
    unsubscribe();
  });

  it('passes its timeout to the adapter', async () => {
    const clock = { now: 0 };
    const cluster = scripted(clock, [[]]);
    const poller = createPoller({ cluster, clock: { now: () => clock.now }, logger: silentLogger }, { intervalMs: 1000, timeoutMs: 2_000 });
    await poller.tick();
    expect(cluster.calls).toEqual([{ timeoutMs: 2_000 }]);
  });

  it('keeps polling on its interval through failures until stopped', async () => {
    vi.useFakeTimers();
    const clock = { now: 0 };
    const cluster = scripted(clock, [[], unreachable, 'throw', [], [], [], []]);
    const poller = createPoller({ cluster, clock: { now: () => clock.now }, logger: silentLogger }, { intervalMs: 1000 });
    poller.start();
    poller.start();
    await vi.advanceTimersByTimeAsync(3_500);
    expect(cluster.calls).toHaveLength(4);
    await poller.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(cluster.calls).toHaveLength(4);
    expect(poller.current().version).toBe(2);
  });

  it('stop() aborts an in-flight poll and waits for it', async () => {
    let sawAbort = false;
    const cluster = {
      readSnapshot: (options?: { signal?: AbortSignal | undefined }) =>
        new Promise<Result<ClusterSnapshot, JarvisError>>((resolve) => {
          options?.signal?.addEventListener('abort', () => {
            sawAbort = true;
            resolve(err(jarvisError('PVE_TIMEOUT', 'aborted')));
          });
        }),
    };
    const poller = createPoller({ cluster, clock: { now: () => 0 }, logger: silentLogger }, { intervalMs: 1000 });
    const pending = poller.tick();
    await poller.stop();
    expect(sawAbort).toBe(true);
    expect((await pending).ok).toBe(false);
  });

  it('keeps its period start to start, and a poll that overruns skips the missed slots instead of stacking', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const durations = [300, 2_500, 100, 100];
    const starts: number[] = [];
    const cluster = {
      readSnapshot: async (): Promise<Result<ClusterSnapshot, JarvisError>> => {
        starts.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, durations.shift() ?? 100));
        return ok(snapshot(Date.now(), []));
      },
    };
    const poller = createPoller({ cluster, clock: { now: () => Date.now() }, logger: silentLogger }, { intervalMs: 1000 });
    poller.start();
    await vi.advanceTimersByTimeAsync(5_500);
    await poller.stop();
    // 0 (300 ms) -> 1000 (2500 ms, overruns 2000 and 3000) -> 4000 -> 5000: never 1300, 3500, 3600 ...
    expect(starts).toEqual([0, 1000, 4000, 5000]);
    expect(poller.stats().skipped).toBe(2);
  });
});
