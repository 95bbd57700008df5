/**
 * Adaptive analysis cadence (seed pitfall 11): the local model looks at an incident at once when
 * it opens, every `incidentMs` while it is fresh, backing off (x`backoff`, up to `calmMs`) while
 * it persists unchanged; calm means the calm cadence. The cloud only by explicit escalation rules
 * and within a daily call budget. Pure.
 */
import { SEVERITY_RANK, type Severity } from './types.ts';

export interface CadenceConfig {
  readonly calmMs: number;
  readonly incidentMs: number;
  readonly backoff: number;
}

export interface CadenceState {
  readonly intervalMs: number;
  readonly nextAt: number;
}

export function initialCadence(now: number, config: CadenceConfig): CadenceState {
  return { intervalMs: config.calmMs, nextAt: now + config.calmMs };
}

export type CadenceEvent = 'incident-opened' | 'analysed' | 'all-clear';

export function nextCadence(state: CadenceState, event: CadenceEvent, now: number, config: CadenceConfig): CadenceState {
  switch (event) {
    case 'incident-opened':
      return { intervalMs: config.incidentMs, nextAt: now };
    case 'analysed': {
      const intervalMs = Math.min(config.calmMs, Math.max(config.incidentMs, Math.round(state.intervalMs * config.backoff)));
      return { intervalMs, nextAt: now + state.intervalMs };
    }
    case 'all-clear':
      return { intervalMs: config.calmMs, nextAt: now + config.calmMs };
  }
}

export interface EscalationConfig {
  /** Cloud escalation at all (default off). */
  readonly enabled: boolean;
  /** Only alerts at or above this severity. */
  readonly minSeverity: Severity;
  /** ...that stayed open (not acknowledged) at least this long. */
  readonly afterMs: number;
  /** At most this many cloud analyses per UTC day. */
  readonly maxPerDay: number;
}

/** Whether an alert's analysis goes to the cloud: explicit rules, within the budget, once per alert. */
export function shouldEscalate(
  alert: { readonly severity: Severity; readonly state: string; readonly firstSeen: number },
  now: number,
  config: EscalationConfig,
  usage: { readonly cloudCallsToday: number; readonly escalatedAlready: boolean },
): boolean {
  return (
    config.enabled &&
    !usage.escalatedAlready &&
    alert.state === 'open' &&
    SEVERITY_RANK[alert.severity] >= SEVERITY_RANK[config.minSeverity] &&
    now - alert.firstSeen >= config.afterMs &&
    usage.cloudCallsToday < config.maxPerDay
  );
}
