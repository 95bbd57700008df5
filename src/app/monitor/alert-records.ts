/**
 * The alert lifecycle as the monitor keeps it: the current alert book, every alert write (the
 * store row, the dashboard frame, one `alert.changed` on the bus per transition, the timeline
 * line), the dashboard's view of an alert with its latest analysis, and the human commands
 * (acknowledge, snooze, resolve). Store failures are logged, never thrown.
 */
import { commandAlert, type Alert, type AlertBook, type AlertCommand, type AlertTransition } from '../../core/anomaly/index.ts';
import { toJarvisError } from '../../core/errors.ts';
import type { AlertTimelineEntry } from '../../core/ports/alerts.ts';
import type { AlertDto } from '../../protocol/alerts.ts';
import type { KeptState } from './monitor-restore.ts';
import type { MonitorDeps } from './monitor-types.ts';

/** The model's latest advice on an alert, and the alert's count when it was given (nothing new -> no new call). */
export interface AlertAnalysis {
  readonly text: string;
  readonly origin: string;
  readonly at: number;
  readonly seenCount: number;
}

export interface AlertRecords {
  /** The current book; the evaluation replaces it after each batch of findings. */
  book: AlertBook;
  /** alert id -> its latest analysis (the analysis writes it, the dashboard view reads it). */
  readonly analyses: Map<string, AlertAnalysis>;
  toDto(alert: Alert): AlertDto;
  /** Appends a line to the alert's timeline (a failure is logged). Safe to pass on detached. */
  readonly timeline: (alertId: string, kind: string, message: string, data?: Record<string, unknown>) => void;
  /** Stores the alert and publishes its dashboard frame. */
  persist(alert: Alert): void;
  /** Stores, announces and (unless a mere update) writes the timeline line of one transition. */
  recordTransition(transition: AlertTransition): void;
  list(query: { status?: 'active' | 'resolved' | 'all'; limit?: number; before?: number }): AlertDto[];
  detail(id: string): { alert: AlertDto; timeline: AlertTimelineEntry[] } | undefined;
  /** Applies a human's command; undefined when no active alert has that id. */
  command(id: string, command: AlertCommand): AlertDto | undefined;
}

export function createAlertRecords(
  deps: Pick<MonitorDeps, 'store' | 'publish' | 'bus' | 'clock' | 'logger'>,
  book: AlertBook,
  kept: Pick<KeptState, 'endIncident'>,
): AlertRecords {
  const { store, clock, logger } = deps;
  const analyses = new Map<string, AlertAnalysis>();

  function toDto(alert: Alert): AlertDto {
    const analysis = analyses.get(alert.id);
    return {
      id: alert.id,
      rule: alert.rule,
      target: alert.target,
      severity: alert.severity,
      title: alert.title,
      facts: { ...alert.facts },
      state: alert.state,
      firstSeen: alert.firstSeen,
      lastSeen: alert.lastSeen,
      count: alert.count,
      flapping: alert.flapping,
      ...(alert.snoozedUntil !== undefined ? { snoozedUntil: alert.snoozedUntil } : {}),
      ...(alert.acknowledgedBy !== undefined ? { acknowledgedBy: alert.acknowledgedBy } : {}),
      ...(alert.resolvedAt !== undefined ? { resolvedAt: alert.resolvedAt } : {}),
      ...(alert.resolvedBy !== undefined ? { resolvedBy: alert.resolvedBy } : {}),
      ...(analysis ? { analysis: { text: analysis.text, origin: analysis.origin, at: analysis.at } } : {}),
    };
  }

  function timeline(alertId: string, kind: string, message: string, data?: Record<string, unknown>): void {
    try {
      store.appendTimeline({ alertId, at: clock.now(), kind, message, ...(data ? { data } : {}) });
    } catch (error) {
      logger.error({ error: toJarvisError(error).message }, 'alert timeline write failed');
    }
  }

  function persist(alert: Alert): void {
    try {
      store.upsert(alert);
    } catch (error) {
      logger.error({ error: toJarvisError(error).message }, 'alert store write failed');
    }
    deps.publish?.({ type: 'alert-change', payload: toDto(alert) });
  }

  /** One `alert.changed` per transition on the bus (metrics and logs subscribe). */
  function announce(transition: AlertTransition): void {
    const { alert } = transition;
    deps.bus?.publish?.('alert.changed', {
      alertId: alert.id,
      rule: alert.rule,
      severity: alert.severity,
      target: alert.target,
      transition: transition.kind,
      state: alert.state,
      at: clock.now(),
    });
  }

  const records: AlertRecords = {
    book,
    analyses,
    toDto,
    timeline,
    persist,
    recordTransition(transition) {
      persist(transition.alert);
      announce(transition);
      if (transition.kind !== 'updated') timeline(transition.alert.id, transition.kind, transitionMessage(transition));
    },
    list(query) {
      const active = records.book.active;
      try {
        return store.list(query).map((alert) => toDto(active.get(alert.key)?.id === alert.id ? active.get(alert.key)! : alert));
      } catch (error) {
        logger.error({ error: toJarvisError(error).message }, 'alert store read failed');
        return [...active.values()].map(toDto);
      }
    },
    detail(id) {
      const active = [...records.book.active.values()].find((alert) => alert.id === id);
      const alert = active ?? store.get(id);
      return alert ? { alert: toDto(alert), timeline: store.timeline(id) } : undefined;
    },
    command(id, command) {
      const result = commandAlert(records.book, id, command, clock.now());
      if (!result) return undefined;
      records.book = result.book;
      persist(result.alert);
      if (result.alert.state === 'resolved') kept.endIncident(id);
      for (const transition of result.transitions) announce(transition);
      const verb =
        command.kind === 'acknowledge' ? 'acknowledged' : command.kind === 'snooze' ? `snoozed until ${new Date(command.until).toISOString()}` : 'resolved';
      timeline(id, result.transitions[0]?.kind ?? command.kind, `${verb} by ${command.by}`);
      return toDto(result.alert);
    },
  };
  return records;
}

function transitionMessage(transition: AlertTransition): string {
  switch (transition.kind) {
    case 'escalated':
      return `escalated from ${transition.from} to ${transition.alert.severity}: ${transition.alert.title}`;
    case 'resolved':
      return transition.alert.resolvedBy === 'condition-cleared' ? 'condition cleared' : `resolved by ${transition.alert.resolvedBy ?? '?'}`;
    case 'reopened':
      return `came back${transition.alert.flapping ? ' (flapping: notifications held)' : ''}: ${transition.alert.title}`;
    default:
      return transition.alert.title;
  }
}
