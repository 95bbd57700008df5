import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok } from '../../core/errors.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { createPoller } from './poller.ts';
import { pollerHealth } from './poller-views.ts';

const snapshot = (takenAt: number, quorate = true): ClusterSnapshot => ({
  version: 1,
  takenAt,
  quorum: { quorate, nodesTotal: 1, votesOnline: 1, votesTotal: 1, votesNeeded: 1 },
  nodes: [],
  guests: [],
  storage: [],
});

describe('poller views', () => {
  it('/health reports PVE unknown before the first poll, ok when fresh, degraded with the error after a failure', async () => {
    const clock = { now: 100 };
    const answers = [ok(snapshot(100)), err(jarvisError('PVE_TIMEOUT', 'no answer within 10000 ms'))];
    const poller = createPoller(
      { cluster: { readSnapshot: async () => answers.shift()! }, clock: { now: () => clock.now }, logger: silentLogger },
      { intervalMs: 1000 },
    );
    const health = pollerHealth(poller);
    expect(await health.dependencies()).toEqual({ pve: { status: 'unknown', message: 'no poll yet' } });
    await poller.tick();
    expect(await health.dependencies()).toEqual({ pve: { status: 'ok' } });
    clock.now = 2_000;
    await poller.tick();
    expect(poller.current().snapshot?.takenAt).toBe(100);
    expect(await health.dependencies()).toEqual({ pve: { status: 'degraded', message: 'PVE_TIMEOUT: no answer within 10000 ms' } });
  });

  it('/health reports a non-quorate cluster as degraded', async () => {
    const poller = createPoller(
      { cluster: { readSnapshot: async () => ok(snapshot(0, false)) }, clock: { now: () => 0 }, logger: silentLogger },
      { intervalMs: 1000 },
    );
    await poller.tick();
    expect(await pollerHealth(poller).dependencies()).toEqual({ pve: { status: 'degraded', message: 'cluster not quorate' } });
  });
});
