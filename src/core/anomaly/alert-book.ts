/**
 * Alerts that stay quiet: one alert per incident keyed by rule + target, with first/last seen
 * and a count; acknowledge, snooze and resolve; a condition must stay clear for `clearAfterMs`
 * before the alert resolves (a short gap continues the same incident); an incident that comes
 * back soon after resolving re-opens the same alert, and one that keeps doing so is marked
 * flapping (its notifications held back). Pure: time and ids are arguments; every function
 * returns a new book and the transitions the app should publish, store and notify.
 */
import { SEVERITY_RANK, type Finding, type RuleId, type Severity } from './types.ts';

export type AlertState = 'open' | 'acknowledged' | 'snoozed' | 'resolved';

export interface Alert {
  readonly id: string;
  /** `rule|target`. */
  readonly key: string;
  readonly rule: RuleId;
  readonly target: string;
  readonly severity: Severity;
  readonly title: string;
  readonly facts: Readonly<Record<string, string | number | boolean>>;
  readonly state: AlertState;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Evaluations in which the condition was present. */
  readonly count: number;
  /** Since when the condition has been absent (while not yet resolved). */
  readonly clearSince?: number | undefined;
  readonly snoozedUntil?: number | undefined;
  readonly acknowledgedBy?: string | undefined;
  readonly resolvedAt?: number | undefined;
  /** `condition-cleared` or the principal who resolved it. */
  readonly resolvedBy?: string | undefined;
  /** Times this alert re-opened after resolving (within the flap window). */
  readonly reopenedAt: readonly number[];
  readonly flapping: boolean;
}

export type AlertTransition =
  | { readonly kind: 'opened'; readonly alert: Alert }
  | { readonly kind: 'reopened'; readonly alert: Alert }
  | { readonly kind: 'escalated'; readonly alert: Alert; readonly from: Severity }
  | { readonly kind: 'updated'; readonly alert: Alert }
  | { readonly kind: 'snooze-ended'; readonly alert: Alert }
  | { readonly kind: 'resolved'; readonly alert: Alert }
  | { readonly kind: 'acknowledged'; readonly alert: Alert }
  | { readonly kind: 'snoozed'; readonly alert: Alert };

export interface AlertBookConfig {
  /** A condition must be present this long before its alert opens (per rule; default 0: the rules hold their own windows). */
  readonly raiseAfterMs: Partial<Readonly<Record<RuleId, number>>>;
  /** A condition must be absent this long before its alert resolves. */
  readonly clearAfterMs: number;
  /** A resolved alert whose condition returns within this window re-opens (same incident). */
  readonly flapWindowMs: number;
  /** Re-opens within the flap window that mark an alert flapping. */
  readonly flapCount: number;
}

export const DEFAULT_ALERT_BOOK_CONFIG: AlertBookConfig = { raiseAfterMs: {}, clearAfterMs: 60_000, flapWindowMs: 30 * 60_000, flapCount: 2 };

export interface AlertBook {
  /** Active (not resolved) alerts by key. */
  readonly active: ReadonlyMap<string, Alert>;
  /** Recently resolved alerts by key (kept for the flap window). */
  readonly recent: ReadonlyMap<string, Alert>;
  /** Conditions seen but not yet raised: key -> first seen. */
  readonly pending: ReadonlyMap<string, number>;
  /** Keys resolved by hand while the condition was present: ignored until it clears once. */
  readonly muted: ReadonlySet<string>;
}

export function emptyAlertBook(): AlertBook {
  return { active: new Map(), recent: new Map(), pending: new Map(), muted: new Set() };
}

export const alertKey = (rule: string, target: string): string => `${rule}|${target}`;

/**
 * Rebuilds a book from stored alerts after a restart: every unresolved alert is active again
 * (same id, so acknowledge/resolve keep working and the incident is not announced twice); the
 * newest resolved alert of a key that resolved within the flap window is recent again (it
 * re-opens rather than opening a second alert), and muted when a human resolved it while its
 * condition was present (as commandAlert does).
 */
export function bookFromAlerts(alerts: readonly Alert[], now: number, config: Pick<AlertBookConfig, 'flapWindowMs'>): AlertBook {
  const active = new Map<string, Alert>();
  for (const alert of alerts) {
    if (alert.state === 'resolved') continue;
    const before = active.get(alert.key);
    if (!before || before.lastSeen < alert.lastSeen) active.set(alert.key, alert);
  }
  const recent = new Map<string, Alert>();
  for (const alert of alerts) {
    if (alert.state !== 'resolved' || active.has(alert.key) || alert.resolvedAt === undefined || now - alert.resolvedAt > config.flapWindowMs) continue;
    const before = recent.get(alert.key);
    if (!before || (before.resolvedAt ?? 0) < alert.resolvedAt) recent.set(alert.key, alert);
  }
  const muted = new Set(
    [...recent.values()].filter((alert) => alert.resolvedBy !== 'condition-cleared' && alert.clearSince === undefined).map((alert) => alert.key),
  );
  return { active, recent, pending: new Map(), muted };
}

export interface ApplyResult {
  readonly book: AlertBook;
  readonly transitions: readonly AlertTransition[];
}

/** Folds one evaluation's findings into the book. */
export function applyFindings(book: AlertBook, findings: readonly Finding[], now: number, config: AlertBookConfig, newId: () => string): ApplyResult {
  const active = new Map(book.active);
  const recent = new Map([...book.recent].filter(([, alert]) => now - (alert.resolvedAt ?? now) <= config.flapWindowMs));
  const pending = new Map<string, number>();
  const muted = new Set<string>();
  const transitions: AlertTransition[] = [];
  const present = new Map<string, Finding>();
  for (const finding of findings) {
    const key = alertKey(finding.rule, finding.target);
    const before = present.get(key);
    if (!before || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[before.severity]) present.set(key, finding);
  }

  for (const [key, finding] of present) {
    if (book.muted.has(key)) {
      muted.add(key);
      continue;
    }
    const current = active.get(key);
    if (current) {
      let next: Alert = { ...current, lastSeen: now, count: current.count + 1, title: finding.title, facts: finding.facts, clearSince: undefined };
      if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[current.severity]) {
        next = { ...next, severity: finding.severity, ...(current.state === 'acknowledged' ? { state: 'open' as const } : {}) };
        transitions.push({ kind: 'escalated', alert: next, from: current.severity });
      } else {
        next = { ...next, severity: finding.severity };
        if (current.state === 'snoozed' && (current.snoozedUntil ?? 0) <= now) {
          next = { ...next, state: 'open', snoozedUntil: undefined };
          transitions.push({ kind: 'snooze-ended', alert: next });
        } else transitions.push({ kind: 'updated', alert: next });
      }
      active.set(key, next);
      continue;
    }
    const firstSeen = book.pending.get(key) ?? now;
    if (now - firstSeen < (config.raiseAfterMs[finding.rule] ?? 0)) {
      pending.set(key, firstSeen);
      continue;
    }
    const previous = recent.get(key);
    if (previous) {
      const reopenedAt = [...previous.reopenedAt, now].filter((time) => now - time <= config.flapWindowMs);
      const alert: Alert = {
        ...previous,
        state: 'open',
        severity: finding.severity,
        title: finding.title,
        facts: finding.facts,
        lastSeen: now,
        count: previous.count + 1,
        clearSince: undefined,
        resolvedAt: undefined,
        resolvedBy: undefined,
        snoozedUntil: undefined,
        acknowledgedBy: undefined,
        reopenedAt,
        flapping: reopenedAt.length >= config.flapCount,
      };
      recent.delete(key);
      active.set(key, alert);
      transitions.push({ kind: 'reopened', alert });
      continue;
    }
    const alert: Alert = {
      id: newId(),
      key,
      rule: finding.rule,
      target: finding.target,
      severity: finding.severity,
      title: finding.title,
      facts: finding.facts,
      state: 'open',
      firstSeen,
      lastSeen: now,
      count: 1,
      reopenedAt: [],
      flapping: false,
    };
    active.set(key, alert);
    transitions.push({ kind: 'opened', alert });
  }

  for (const [key, alert] of book.active) {
    if (present.has(key)) continue;
    const clearSince = alert.clearSince ?? now;
    if (now - clearSince >= config.clearAfterMs) {
      const resolved: Alert = { ...alert, state: 'resolved', clearSince, resolvedAt: now, resolvedBy: 'condition-cleared', snoozedUntil: undefined };
      active.delete(key);
      recent.set(key, resolved);
      transitions.push({ kind: 'resolved', alert: resolved });
    } else if (alert.clearSince === undefined) {
      active.set(key, { ...alert, clearSince });
    }
  }
  // A flapping alert that stayed quiet for the whole window is no longer flapping.
  for (const [key, alert] of active) {
    if (alert.flapping && alert.reopenedAt.every((time) => now - time > config.flapWindowMs)) active.set(key, { ...alert, flapping: false, reopenedAt: [] });
  }
  return { book: { active, recent, pending, muted }, transitions };
}

export type AlertCommand =
  | { readonly kind: 'acknowledge'; readonly by: string }
  | { readonly kind: 'snooze'; readonly by: string; readonly until: number }
  | { readonly kind: 'resolve'; readonly by: string };

/** Applies a human's command to one active alert; undefined result when the id is not active. */
export function commandAlert(book: AlertBook, id: string, command: AlertCommand, now: number): (ApplyResult & { readonly alert: Alert }) | undefined {
  const current = [...book.active.values()].find((alert) => alert.id === id);
  if (!current) return undefined;
  const active = new Map(book.active);
  if (command.kind === 'acknowledge') {
    const alert: Alert = { ...current, state: 'acknowledged', acknowledgedBy: command.by, snoozedUntil: undefined };
    active.set(current.key, alert);
    return { book: { ...book, active }, transitions: [{ kind: 'acknowledged', alert }], alert };
  }
  if (command.kind === 'snooze') {
    const alert: Alert = { ...current, state: 'snoozed', snoozedUntil: Math.max(now, command.until) };
    active.set(current.key, alert);
    return { book: { ...book, active }, transitions: [{ kind: 'snoozed', alert }], alert };
  }
  const alert: Alert = { ...current, state: 'resolved', resolvedAt: now, resolvedBy: command.by };
  active.delete(current.key);
  const muted = new Set(book.muted);
  if (current.clearSince === undefined) muted.add(current.key);
  const recent = new Map(book.recent);
  recent.set(current.key, alert);
  return { book: { ...book, active, muted, recent }, transitions: [{ kind: 'resolved', alert }], alert };
}

/** Whether a transition should reach people (the dashboard always shows it). */
export function transitionNotifies(transition: AlertTransition, now: number): boolean {
  const { alert } = transition;
  switch (transition.kind) {
    case 'opened':
    case 'snooze-ended':
      return true;
    case 'escalated':
      return !(alert.state === 'snoozed' && (alert.snoozedUntil ?? 0) > now);
    case 'reopened':
      return !alert.flapping;
    case 'resolved':
      // A human who resolved it knows; a flapping alert's resolve is noise.
      return alert.resolvedBy === 'condition-cleared' && !alert.flapping;
    default:
      return false;
  }
}
