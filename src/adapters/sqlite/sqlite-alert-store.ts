/**
 * Alerts and their timelines on SQLite (better-sqlite3, WAL). One row per alert (the incident),
 * rewritten on each transition; the timeline is append-only.
 */
import type { Alert } from '../../core/anomaly/alert-book.ts';
import type { AlertQuery, AlertStore, AlertTimelineEntry } from '../../core/ports/alerts.ts';
import { migrate, type Migration, type SqliteDatabase } from './open-database.ts';

export const ALERT_MIGRATIONS: readonly Migration[] = [
  {
    id: 'alerts-001',
    sql: `CREATE TABLE alerts (
      id TEXT PRIMARY KEY,
      key TEXT NOT NULL,
      rule TEXT NOT NULL,
      target TEXT NOT NULL,
      severity TEXT NOT NULL,
      state TEXT NOT NULL,
      first_seen INTEGER NOT NULL,
      last_seen INTEGER NOT NULL,
      resolved_at INTEGER,
      body TEXT NOT NULL
    );
    CREATE INDEX alerts_state ON alerts (state, last_seen);
    CREATE INDEX alerts_last_seen ON alerts (last_seen);
    CREATE TABLE alert_timeline (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      alert_id TEXT NOT NULL,
      at INTEGER NOT NULL,
      kind TEXT NOT NULL,
      message TEXT NOT NULL,
      data TEXT
    );
    CREATE INDEX alert_timeline_alert ON alert_timeline (alert_id, seq);`,
  },
  {
    id: 'alerts-002-monitor-state',
    sql: `CREATE TABLE monitor_state (
      name TEXT PRIMARY KEY,
      body TEXT NOT NULL
    );`,
  },
];

interface AlertRow {
  body: string;
}
interface TimelineRow {
  alert_id: string;
  at: number;
  kind: string;
  message: string;
  data: string | null;
}

export class SqliteAlertStore implements AlertStore {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    migrate(database, ALERT_MIGRATIONS);
    this.#database = database;
  }

  upsert(alert: Alert): void {
    this.#database
      .prepare(
        `INSERT INTO alerts (id, key, rule, target, severity, state, first_seen, last_seen, resolved_at, body)
        VALUES (@id, @key, @rule, @target, @severity, @state, @firstSeen, @lastSeen, @resolvedAt, @body)
        ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, state = excluded.state, last_seen = excluded.last_seen,
          resolved_at = excluded.resolved_at, body = excluded.body`,
      )
      .run({
        id: alert.id,
        key: alert.key,
        rule: alert.rule,
        target: alert.target,
        severity: alert.severity,
        state: alert.state,
        firstSeen: alert.firstSeen,
        lastSeen: alert.lastSeen,
        resolvedAt: alert.resolvedAt ?? null,
        body: JSON.stringify(alert),
      });
  }

  get(id: string): Alert | undefined {
    const row = this.#database.prepare('SELECT body FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
    return row ? (JSON.parse(row.body) as Alert) : undefined;
  }

  list(query: AlertQuery): Alert[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.status === 'active') where.push("state != 'resolved'");
    if (query.status === 'resolved') where.push("state = 'resolved'");
    if (query.before !== undefined) {
      where.push('last_seen < ?');
      args.push(query.before);
    }
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const sql = `SELECT body FROM alerts ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_seen DESC LIMIT ${limit}`;
    return (this.#database.prepare(sql).all(...args) as AlertRow[]).map((row) => JSON.parse(row.body) as Alert);
  }

  appendTimeline(entry: AlertTimelineEntry): void {
    this.#database
      .prepare('INSERT INTO alert_timeline (alert_id, at, kind, message, data) VALUES (?, ?, ?, ?, ?)')
      .run(entry.alertId, entry.at, entry.kind, entry.message, entry.data === undefined ? null : JSON.stringify(entry.data));
  }

  timeline(alertId: string, limit = 200): AlertTimelineEntry[] {
    const rows = this.#database
      .prepare('SELECT alert_id, at, kind, message, data FROM alert_timeline WHERE alert_id = ? ORDER BY seq ASC LIMIT ?')
      .all(alertId, Math.min(Math.max(limit, 1), 1000)) as TimelineRow[];
    return rows.map((row) => {
      const data = row.data ? timelineData(row.data) : undefined;
      return { alertId: row.alert_id, at: row.at, kind: row.kind, message: row.message, ...(data ? { data } : {}) };
    });
  }

  loadState(name: string): unknown {
    const row = this.#database.prepare('SELECT body FROM monitor_state WHERE name = ?').get(name) as AlertRow | undefined;
    if (!row) return undefined;
    try {
      return JSON.parse(row.body) as unknown;
    } catch {
      return undefined;
    }
  }

  saveState(name: string, value: unknown): void {
    this.#database
      .prepare('INSERT INTO monitor_state (name, body) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET body = excluded.body')
      .run(name, JSON.stringify(value));
  }
}

/**
 * Tolerant read of a stored timeline entry's data: rows of every earlier version stay readable
 * (older act rows carry `actionHash` only, newer ones `auditSeq` too); unreadable JSON or a
 * non-object is dropped rather than failing the whole timeline.
 */
function timelineData(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
