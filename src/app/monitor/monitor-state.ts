/**
 * The monitor's small state that must survive a restart, saved in the alert database
 * (AlertStore.saveState, name `monitor`) whenever it changes: the autonomy gate (per-target last
 * attempt and the last hour's attempts, so a restart is not a free extra attempt), the cloud
 * calls made today and the alerts already escalated (the daily cloud budget holds across
 * restarts), and the incidents that already have a ticket (one ticket push per incident).
 * Parsing is lenient: anything malformed is dropped, never thrown.
 */
import type { AutonomyState } from '../../core/anomaly/index.ts';

export interface MonitorState {
  readonly autonomy: AutonomyState;
  readonly cloudDay: { readonly day: number; readonly calls: number };
  readonly escalated: ReadonlySet<string>;
  /** alert id -> the ticket proposed for its current incident (cleared when it resolves or re-opens). */
  readonly ticketed: ReadonlyMap<string, string>;
}

export const MONITOR_STATE_NAME = 'monitor';

export function emptyMonitorState(): MonitorState {
  return { autonomy: { lastAttempt: new Map(), recent: [] }, cloudDay: { day: -1, calls: 0 }, escalated: new Set(), ticketed: new Map() };
}

/** JSON form of the state (maps become entry lists). */
export function monitorStateJson(state: MonitorState): unknown {
  return {
    autonomy: { lastAttempt: [...state.autonomy.lastAttempt], recent: [...state.autonomy.recent] },
    cloudDay: state.cloudDay,
    escalated: [...state.escalated].slice(-1000),
    ticketed: [...state.ticketed].slice(-1000),
  };
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const pairs = (value: unknown): unknown[][] =>
  Array.isArray(value) ? value.filter((entry): entry is unknown[] => Array.isArray(entry) && entry.length === 2) : [];

/** Reads what `monitorStateJson` wrote; malformed parts fall back to empty. */
export function monitorStateFrom(json: unknown): MonitorState {
  const empty = emptyMonitorState();
  if (typeof json !== 'object' || json === null) return empty;
  const body = json as Record<string, unknown>;
  const autonomy = (typeof body['autonomy'] === 'object' && body['autonomy'] !== null ? body['autonomy'] : {}) as Record<string, unknown>;
  const lastAttempt = new Map<string, number>();
  for (const [key, at] of pairs(autonomy['lastAttempt'])) if (typeof key === 'string' && isFiniteNumber(at)) lastAttempt.set(key, at);
  const recent = Array.isArray(autonomy['recent']) ? autonomy['recent'].filter(isFiniteNumber) : [];
  const cloud = body['cloudDay'] as Record<string, unknown> | undefined;
  const cloudDay = cloud && isFiniteNumber(cloud['day']) && isFiniteNumber(cloud['calls']) ? { day: cloud['day'], calls: cloud['calls'] } : empty.cloudDay;
  const escalated = new Set(Array.isArray(body['escalated']) ? body['escalated'].filter((id): id is string => typeof id === 'string') : []);
  const ticketed = new Map<string, string>();
  for (const [alertId, ticketId] of pairs(body['ticketed'])) if (typeof alertId === 'string' && typeof ticketId === 'string') ticketed.set(alertId, ticketId);
  return { autonomy: { lastAttempt, recent }, cloudDay, escalated, ticketed };
}
