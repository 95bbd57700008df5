import { buildState, buildStateJson, type StateParts } from '../http/build-state.ts';
import type { JarvisMetrics } from '../http/jarvis-metrics.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { WsHub, type WsHubOptions } from './ws-hub.ts';

/**
 * Builds the hub whose first frame per client is the same state as GET /api/state (including
 * the hub's own seq). Pass the result as `deps.hub` to buildHttpServer.
 */
export function createWsHub(
  parts: Omit<StateParts, 'seq'>,
  deps: { clock: Clock; logger: Logger; metrics?: JarvisMetrics },
  options: Partial<WsHubOptions> = {},
): WsHub {
  const hub: WsHub = new WsHub(
    {
      clock: deps.clock,
      logger: deps.logger,
      metrics: deps.metrics,
      stateFor: (principal) => buildState({ ...parts, seq: () => hub.seq }, principal),
      stateJsonFor: (principal) => buildStateJson({ ...parts, seq: () => hub.seq }, principal),
    },
    options,
  );
  return hub;
}
