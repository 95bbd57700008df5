import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import { jarvisError } from '../../core/errors.ts';
import type { ServerMessage } from '../../protocol/index.ts';
import { createJarvisMetrics } from '../http/jarvis-metrics.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { createEventBus } from '../events/event-bus.ts';
import { connectHubFeed } from '../events/hub-feed.ts';
import { RecentEventLog } from '../events/recent-event-log.ts';
import type { PollListener, PollerState } from '../monitor/poller.ts';
import { connectPollerFeed } from './poller-feed.ts';

function snapshot(version: number, pveStatus: 'online' | 'offline'): ClusterSnapshot {
  return {
    version,
    takenAt: version * 10_000,
    quorum: { quorate: true, nodesTotal: 2, votesOnline: 2, votesTotal: 2, votesNeeded: 2 },
    nodes: [
      { name: 'pve', status: pveStatus, votes: 1 },
      { name: 'agent1', status: 'online', votes: 1, cpu: 0.2 },
    ],
    guests: [],
    storage: [],
  };
}

function fakePoller() {
  const listeners: PollListener[] = [];
  let state: PollerState = {
    snapshot: undefined,
    version: 0,
    ageMs: undefined,
    stale: true,
    lastError: undefined,
    lastErrorAt: undefined,
    consecutiveFailures: 0,
  };
  return {
    subscribe(listener: PollListener) {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    current: () => state,
    emit(result: Parameters<PollListener>[0], next: PollerState) {
      state = next;
      for (const listener of listeners) listener(result);
    },
    listeners,
  };
}

describe('poller feed', () => {
  it('publishes a delta per poll, one event per cluster change, and health changes on failure and recovery', async () => {
    const poller = fakePoller();
    const published: ServerMessage[] = [];
    const events = new RecentEventLog();
    const metrics = createJarvisMetrics({ defaultMetrics: false });
    const bus = createEventBus(silentLogger);
    const publish = (message: ServerMessage) => published.push(message);
    connectHubFeed({
      events: bus,
      publish,
      appendEvent: (event) => events.append(event),
      approvalOf: async () => undefined,
      settings: () => ({ aiEnabled: true }),
    });
    const feed = connectPollerFeed(poller, { publish, events: bus, metrics });

    const first = snapshot(1, 'online');
    poller.emit(
      { ok: true, version: 1, snapshot: first, events: [], durationMs: 120, at: 10_000 },
      { snapshot: first, version: 1, ageMs: 0, stale: false, lastError: undefined, lastErrorAt: undefined, consecutiveFailures: 0 },
    );
    expect(published.map((message) => message.type)).toEqual(['health-change', 'delta']);
    const firstDelta = published[1];
    if (firstDelta?.type === 'delta') expect(firstDelta.payload.upsert.nodes).toHaveLength(2);

    const second = snapshot(2, 'offline');
    poller.emit(
      { ok: true, version: 2, snapshot: second, events: [{ type: 'node-offline', node: 'pve', at: 20_000 }], durationMs: 80, at: 20_000 },
      { snapshot: second, version: 2, ageMs: 0, stale: false, lastError: undefined, lastErrorAt: undefined, consecutiveFailures: 0 },
    );
    const delta = published[2];
    expect(delta?.type).toBe('delta');
    if (delta?.type === 'delta') expect(delta.payload.upsert.nodes.map((node) => node.name)).toEqual(['pve']);
    expect(published[3]).toMatchObject({
      type: 'event',
      payload: { id: 1, type: 'node-offline', severity: 'critical', node: 'pve', summary: 'node pve: offline' },
    });

    const error = jarvisError('PVE_TIMEOUT', 'timed out');
    poller.emit(
      { ok: false, error, durationMs: 10_000, at: 30_000, consecutiveFailures: 1 },
      { snapshot: second, version: 2, ageMs: 10_000, stale: true, lastError: error, lastErrorAt: 30_000, consecutiveFailures: 1 },
    );
    poller.emit(
      { ok: false, error, durationMs: 10_000, at: 40_000, consecutiveFailures: 2 },
      { snapshot: second, version: 2, ageMs: 20_000, stale: true, lastError: error, lastErrorAt: 40_000, consecutiveFailures: 2 },
    );
    expect(published.slice(4)).toEqual([
      { type: 'health-change', payload: { fresh: false, lastError: { code: 'PVE_TIMEOUT', message: 'timed out', at: 30_000 } } },
    ]);
    expect(feed.stateReader.current()).toMatchObject({ snapshot: second, health: { fresh: false, lastError: { code: 'PVE_TIMEOUT', at: 40_000 } } });

    const metricsText = await metrics.registry.metrics();
    expect(metricsText).toMatch(/jarvis_pve_errors_total\{code="PVE_TIMEOUT"\} 2/);
    expect(metricsText).toMatch(/jarvis_poll_duration_seconds_count\{outcome="ok"\} 2/);

    feed.unsubscribe();
    expect(poller.listeners).toHaveLength(0);
  });

  it('publishes dependency.changed for PVE once per outage: lost on the first failure, recovered on the next success', () => {
    const poller = fakePoller();
    const bus = createEventBus(silentLogger);
    const changes: unknown[] = [];
    bus.on('dependency.changed', (change) => changes.push(change));
    connectPollerFeed(poller, { publish: () => undefined, events: bus });
    const first = snapshot(1, 'online');
    const okState = { snapshot: first, version: 1, ageMs: 0, stale: false, lastError: undefined, lastErrorAt: undefined, consecutiveFailures: 0 };
    poller.emit({ ok: true, version: 1, snapshot: first, events: [], durationMs: 10, at: 10_000 }, okState);
    expect(changes).toEqual([]);
    const error = jarvisError('PVE_UNREACHABLE', 'connection refused');
    for (const at of [20_000, 30_000, 40_000])
      poller.emit({ ok: false, error, durationMs: 10, at, consecutiveFailures: 1 }, { ...okState, stale: true, lastError: error, lastErrorAt: at });
    poller.emit({ ok: true, version: 2, snapshot: snapshot(2, 'online'), events: [], durationMs: 10, at: 50_000 }, okState);
    poller.emit({ ok: true, version: 3, snapshot: snapshot(3, 'online'), events: [], durationMs: 10, at: 60_000 }, okState);
    expect(changes).toEqual([
      { dependency: 'pve', up: false, reason: 'PVE_UNREACHABLE', at: 20_000 },
      { dependency: 'pve', up: true, at: 50_000 },
    ]);
  });
});
