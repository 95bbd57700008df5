import type { JarvisError } from '../../core/errors.ts';
import { computeSnapshotDelta, type DataHealth, type EventDto, type ServerMessage, type SnapshotDto } from '../../protocol/index.ts';
import type { StateReader } from '../http/http-deps.ts';
import { toSnapshotDto } from '../http/build-state.ts';
import type { JarvisMetrics } from '../http/jarvis-metrics.ts';
import type { Poller } from '../monitor/poller.ts';
import { clusterEventDto } from './cluster-event-dto.ts';

/** Data health as the wire shows it. */
function healthOf(stale: boolean, error: JarvisError | undefined, at: number | undefined): DataHealth {
  return { fresh: !stale, ...(error && at !== undefined ? { lastError: { code: error.code, message: error.message, at } } : {}) };
}

export interface PollerFeedTargets {
  readonly publish: (message: ServerMessage) => void;
  /** Stores an event for GET /api/events and returns it with its id. */
  readonly appendEvent: (event: Omit<EventDto, 'id'>) => EventDto;
  readonly metrics?: JarvisMetrics | undefined;
  /** Called after every poll (e.g. to re-read the persisted emergency stop and publish a change). */
  readonly afterPoll?: (() => void) | undefined;
}

/**
 * Wires the poller to the hub and to GET /api/state (`stateReader`): each successful poll publishes a `delta` (against the previous
 * snapshot) and one `event` per cluster change; failures publish `health-change` once when the
 * data turns stale, and recovery publishes it again. Records poll duration and PVE error metrics.
 * Returns the unsubscribe function.
 */
export function connectPollerFeed(poller: Pick<Poller, 'subscribe' | 'current'>, targets: PollerFeedTargets): { stateReader: StateReader; unsubscribe: () => void } {
  let lastFailureAt: number | undefined;
  const stateReader: StateReader = {
    current() {
      const state = poller.current();
      return { snapshot: state.snapshot ?? null, health: healthOf(state.stale, state.lastError, state.lastErrorAt ?? lastFailureAt) };
    },
  };
  let last: SnapshotDto | undefined = poller.current().snapshot ? toSnapshotDto(poller.current().snapshot!) : undefined;
  let fresh = !poller.current().stale;
  const unsubscribe = poller.subscribe((result) => {
    targets.afterPoll?.();
    targets.metrics?.pollDuration.observe({ outcome: result.ok ? 'ok' : 'error' }, result.durationMs / 1000);
    if (!result.ok) {
      lastFailureAt = result.at;
      targets.metrics?.pveErrors.inc({ code: result.error.code });
      if (fresh) targets.publish({ type: 'health-change', payload: healthOf(true, result.error, result.at) });
      fresh = false;
      return;
    }
    if (!fresh) targets.publish({ type: 'health-change', payload: { fresh: true } });
    fresh = true;
    const next = toSnapshotDto(result.snapshot);
    if (last) targets.publish({ type: 'delta', payload: computeSnapshotDelta(last, next) });
    else targets.publish({ type: 'delta', payload: computeSnapshotDelta({ ...next, version: 0, nodes: [], guests: [], storage: [] }, next) });
    last = next;
    for (const event of result.events) targets.publish({ type: 'event', payload: targets.appendEvent(clusterEventDto(event)) });
  });
  return { stateReader, unsubscribe };
}
