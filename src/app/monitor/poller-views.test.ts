import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok } from '../../core/errors.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { toEventDto } from './event-summary.ts';
import { createPoller } from './poller.ts';
import { pollerHealth, pollerStateReader } from './poller-views.ts';

const snapshot = (takenAt: number, quorate = true): ClusterSnapshot => ({
  version: 1,
  takenAt,
  quorum: { quorate, nodesTotal: 1, votesOnline: 1, votesTotal: 1, votesNeeded: 1 },
  nodes: [],
  guests: [],
  storage: [],
});

describe('poller views', () => {
  it('report last-known data as not fresh, with the error and when it happened, after a failed poll', async () => {
    const clock = { now: 100 };
    const answers = [ok(snapshot(100)), err(jarvisError('PVE_TIMEOUT', 'no answer within 10000 ms'))];
    const poller = createPoller({ cluster: { readSnapshot: async () => answers.shift()! }, clock: { now: () => clock.now }, logger: silentLogger }, { intervalMs: 1000 });
    const reader = pollerStateReader(poller);
    const health = pollerHealth(poller);
    expect(reader.current()).toEqual({ snapshot: null, health: { fresh: false } });
    expect(await health.dependencies()).toEqual({ pve: { status: 'unknown', message: 'no poll yet' } });
    await poller.tick();
    expect(reader.current().health).toEqual({ fresh: true });
    expect(await health.dependencies()).toEqual({ pve: { status: 'ok' } });
    clock.now = 2_000;
    await poller.tick();
    const view = reader.current();
    expect(view.snapshot?.takenAt).toBe(100);
    expect(view.health).toEqual({ fresh: false, lastError: { code: 'PVE_TIMEOUT', message: 'no answer within 10000 ms', at: 2_000 } });
    expect((await health.dependencies())['pve']?.status).toBe('degraded');
  });

  it('turns cluster events into feed entries without free text from the cluster', () => {
    expect(toEventDto({ type: 'node-offline', node: 'agent', at: 5 })).toEqual({
      at: 5, type: 'node-offline', severity: 'critical', source: 'cluster', summary: 'node agent went offline', node: 'agent', data: { type: 'node-offline', node: 'agent', at: 5 },
    });
    const storage = toEventDto({ type: 'storage-threshold-crossed', id: 'storage/pve/local', node: 'pve', storage: 'local', fraction: 0.9, threshold: 0.85, at: 1 });
    expect(storage.summary).toBe('storage local on pve at 90% (threshold 85%)');
    expect(storage.severity).toBe('warning');
  });
});
