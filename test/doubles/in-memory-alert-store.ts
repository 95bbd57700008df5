import type { Alert } from '../../src/core/anomaly/alert-book.ts';
import type { AlertQuery, AlertStore, AlertTimelineEntry } from '../../src/core/ports/alerts.ts';

/** The same contract in memory (tests, and a Jarvis without a state database). */
export class MemoryAlertStore implements AlertStore {
  readonly #alerts = new Map<string, Alert>();
  readonly #timeline: AlertTimelineEntry[] = [];
  readonly #state = new Map<string, string>();

  upsert(alert: Alert): void {
    this.#alerts.set(alert.id, alert);
  }

  get(id: string): Alert | undefined {
    return this.#alerts.get(id);
  }

  list(query: AlertQuery): Alert[] {
    return [...this.#alerts.values()]
      .filter((alert) => (query.status === 'active' ? alert.state !== 'resolved' : query.status === 'resolved' ? alert.state === 'resolved' : true))
      .filter((alert) => query.before === undefined || alert.lastSeen < query.before)
      .sort((a, b) => b.lastSeen - a.lastSeen)
      .slice(0, Math.min(Math.max(query.limit ?? 100, 1), 1000));
  }

  appendTimeline(entry: AlertTimelineEntry): void {
    this.#timeline.push(entry);
  }

  timeline(alertId: string, limit = 200): AlertTimelineEntry[] {
    return this.#timeline.filter((entry) => entry.alertId === alertId).slice(0, limit);
  }

  loadState(name: string): unknown {
    const body = this.#state.get(name);
    return body === undefined ? undefined : JSON.parse(body);
  }

  saveState(name: string, value: unknown): void {
    this.#state.set(name, JSON.stringify(value));
  }
}
