/**
 * What the monitor reloads from the alert store when it starts, and writes back when it changes:
 * the alert book (open alerts keep their ids and are not pushed again) and the small state of
 * monitor-state.ts (autonomy gate, cloud budget, escalations, one ticket per incident). A store
 * that cannot be read costs only what the previous run knew: logged, never thrown.
 */
import { bookFromAlerts, emptyAlertBook, type AlertBook, type AlertBookConfig, type AutonomyState } from '../../core/anomaly/index.ts';
import { toJarvisError } from '../../core/errors.ts';
import type { AlertStore } from '../../core/ports/alerts.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { emptyMonitorState, MONITOR_STATE_NAME, monitorStateFrom, monitorStateJson, type MonitorState } from './monitor-state.ts';

/** The stored open alerts and the recently resolved ones (so a condition that comes back re-opens its alert). */
export function restoreAlertBook(store: Pick<AlertStore, 'list'>, now: number, config: AlertBookConfig, logger: Logger): AlertBook {
  try {
    const stored = [...store.list({ status: 'active', limit: 1000 }), ...store.list({ status: 'resolved', limit: 200 })];
    const restoredAlerts = bookFromAlerts(stored, now, config);
    if (restoredAlerts.active.size > 0) logger.info({ active: restoredAlerts.active.size }, 'monitor: open alerts reloaded from the alert store');
    return restoredAlerts;
  } catch (error) {
    logger.error({ error: toJarvisError(error).message }, 'monitor: stored alerts not reloaded');
    return emptyAlertBook();
  }
}

/** The monitor state kept across restarts, changed in place by its owners, who call `save` after a change. */
export interface KeptState {
  autonomy: AutonomyState;
  cloudDay: MonitorState['cloudDay'];
  readonly escalated: Set<string>;
  /** alert id -> the ticket of its current incident: one ticket (and push) per incident. */
  readonly ticketed: Map<string, string>;
  /** Writes the state to the store (a failure is logged). */
  save(): void;
  /** The alert's incident ended (resolved or re-opened): it may ask for a ticket again. Saves when that changed anything. */
  endIncident(alertId: string): void;
}

/** Loads the saved state (empty when unreadable) and returns it with its `save`. */
export function restoreKeptState(store: Pick<AlertStore, 'loadState' | 'saveState'>, logger: Logger): KeptState {
  let restored: MonitorState;
  try {
    restored = monitorStateFrom(store.loadState(MONITOR_STATE_NAME));
  } catch (error) {
    logger.error({ error: toJarvisError(error).message }, 'monitor: saved state not reloaded');
    restored = emptyMonitorState();
  }
  const kept: KeptState = {
    autonomy: restored.autonomy,
    cloudDay: restored.cloudDay,
    escalated: new Set(restored.escalated),
    ticketed: new Map(restored.ticketed),
    save() {
      try {
        store.saveState(MONITOR_STATE_NAME, monitorStateJson(kept));
      } catch (error) {
        logger.error({ error: toJarvisError(error).message }, 'monitor: state not saved');
      }
    },
    endIncident(alertId) {
      if (kept.ticketed.delete(alertId)) kept.save();
    },
  };
  return kept;
}
