import type { JarvisError } from '../../core/errors.ts';
import type { EventBus } from '../../core/ports/events.ts';
import {
  applySnapshotDelta,
  computeSnapshotDelta,
  DISPLAY_PRECISION,
  type DataHealth,
  type DeltaPrecision,
  type ServerMessage,
  type SnapshotDto,
} from '../../protocol/index.ts';
import type { StateReader } from '../http/http-deps.ts';
import { toSnapshotDto } from '../http/build-state.ts';
import type { JarvisMetrics } from '../http/jarvis-metrics.ts';
import type { Poller } from '../monitor/poller.ts';

/** Data health as the wire shows it. */
function healthOf(stale: boolean, error: JarvisError | undefined, at: number | undefined): DataHealth {
  return { fresh: !stale, ...(error && at !== undefined ? { lastError: { code: error.code, message: error.message, at } } : {}) };
}

export interface PollerFeedTargets {
  readonly publish: (message: ServerMessage) => void;
  /** The domain event stream: `cluster.changed` after every successful poll. */
  readonly events: EventBus;
  readonly metrics?: JarvisMetrics | undefined;
  /** Epsilons of the metric deltas (config ui.deltaPrecision); default: one displayed unit. */
  readonly precision?: DeltaPrecision | undefined;
}

/**
 * Wires the poller to the hub and to GET /api/state (`stateReader`): each successful poll publishes a `delta` (against the previous
 * snapshot) to the hub and `cluster.changed` (the poll's cluster events) on the event bus; failures publish `health-change` once when the
 * data turns stale, and recovery publishes it again. Records poll duration and PVE error metrics.
 * Returns the unsubscribe function.
 */
export function connectPollerFeed(
  poller: Pick<Poller, 'subscribe' | 'current'>,
  targets: PollerFeedTargets,
): { stateReader: StateReader; unsubscribe: () => void } {
  let lastFailureAt: number | undefined;
  const precision = targets.precision ?? DISPLAY_PRECISION;
  /**
   * The published view: exactly what every client holds (the deltas sent so far, applied with the
   * client's own function), serialised once per version and shared by every snapshot that sends it.
   */
  let last: SnapshotDto | undefined = poller.current().snapshot ? toSnapshotDto(poller.current().snapshot!) : undefined;
  let lastJson: { version: number; json: string } | undefined;
  const stateReader: StateReader = {
    current() {
      const state = poller.current();
      return { snapshot: state.snapshot ?? null, health: healthOf(state.stale, state.lastError, state.lastErrorAt ?? lastFailureAt) };
    },
    published() {
      if (!last) return undefined;
      if (lastJson?.version !== last.version) lastJson = { version: last.version, json: JSON.stringify(last) };
      return { snapshot: last, json: lastJson.json };
    },
  };
  let fresh = !poller.current().stale;
  let pveLost = false;
  const unsubscribe = poller.subscribe((result) => {
    targets.metrics?.pollDuration.observe({ outcome: result.ok ? 'ok' : 'error' }, result.durationMs / 1000);
    targets.metrics?.dependencyLatency.observe({ dependency: 'pve' }, result.durationMs / 1000);
    if (!result.ok) {
      lastFailureAt = result.at;
      targets.metrics?.pveErrors.inc({ code: result.error.code });
      if (fresh) targets.publish({ type: 'health-change', payload: healthOf(true, result.error, result.at) });
      // PVE lost: once per outage, for the operator log and the monitor (recovered below).
      if (!pveLost) targets.events.publish('dependency.changed', { dependency: 'pve', up: false, reason: result.error.code, at: result.at });
      pveLost = true;
      fresh = false;
      return;
    }
    if (!fresh) targets.publish({ type: 'health-change', payload: { fresh: true } });
    fresh = true;
    if (pveLost) targets.events.publish('dependency.changed', { dependency: 'pve', up: true, at: result.at });
    pveLost = false;
    const next = toSnapshotDto(result.snapshot);
    const base = last ?? { ...next, version: 0, nodes: [], guests: [], storage: [] };
    const delta = computeSnapshotDelta(base, next, precision);
    last = applySnapshotDelta(base, delta);
    targets.publish({ type: 'delta', payload: delta });
    targets.events.publish('cluster.changed', { version: result.version, events: result.events, at: result.at });
  });
  return { stateReader, unsubscribe };
}
