/**
 * Where alerts and their timelines live (adapters/sqlite/sqlite-alert-store.ts; an in-memory one
 * for tests). The monitor is the only writer.
 */
import type { Alert } from '../anomaly/alert-book.ts';

/** One line of an alert's timeline: a transition, an autonomous attempt (with its audit/ticket link), an analysis, a notification outcome. */
export interface AlertTimelineEntry {
  readonly alertId: string;
  readonly at: number;
  /** `opened`, `resolved`, `acknowledged`, `act`, `ticket`, `act-skipped`, `analysis`, `notified`, `notify-failed`, ... */
  readonly kind: string;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

export interface AlertQuery {
  /** `active` (not resolved), `resolved`, or all. */
  readonly status?: 'active' | 'resolved' | 'all' | undefined;
  readonly limit?: number | undefined;
  /** Only alerts last seen before this (paging back through history). */
  readonly before?: number | undefined;
}

export interface AlertStore {
  upsert(alert: Alert): void;
  get(id: string): Alert | undefined;
  list(query: AlertQuery): Alert[];
  appendTimeline(entry: AlertTimelineEntry): void;
  timeline(alertId: string, limit?: number): AlertTimelineEntry[];
  /** The monitor's small state by name (autonomy cooldowns, cloud calls today, tickets per incident), as saved; undefined when never saved. */
  loadState(name: string): unknown;
  /** Replaces one named state (JSON-serialisable). */
  saveState(name: string, value: unknown): void;
}
