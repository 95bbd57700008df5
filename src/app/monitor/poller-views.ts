import type { HealthDto } from '../../protocol/http-dtos.ts';
import type { Poller } from './poller.ts';

/** Dependency health for GET /health from the poller's view of PVE. */
export function pollerHealth(poller: Poller): { dependencies(): Promise<HealthDto['dependencies']> } {
  return {
    async dependencies() {
      const state = poller.current();
      if (state.snapshot === undefined && state.lastError === undefined) return { pve: { status: 'unknown', message: 'no poll yet' } };
      if (state.lastError) return { pve: { status: state.snapshot ? 'degraded' : 'down', message: `${state.lastError.code}: ${state.lastError.message}` } };
      if (state.stale) return { pve: { status: 'degraded', message: `data ${Math.round((state.ageMs ?? 0) / 1000)} s old` } };
      const quorate = state.snapshot?.quorum.quorate ?? false;
      return { pve: quorate ? { status: 'ok' } : { status: 'degraded', message: 'cluster not quorate' } };
    },
  };
}
