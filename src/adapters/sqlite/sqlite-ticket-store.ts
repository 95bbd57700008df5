/**
 * Confirmation tickets on SQLite. `consume` and `reject` are single UPDATE statements guarded by
 * `status = 'pending'`, so exactly one caller wins, even across processes sharing the file.
 */
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { TicketStore } from '../../core/ports/tickets.ts';
import type { Ticket, TicketStatus } from '../../core/safety/decision.ts';
import { migrate, openDatabase, type SqliteDatabase } from './open-database.ts';

const MIGRATIONS = [
  {
    id: 'tickets-001',
    sql: `CREATE TABLE tickets (
            id TEXT PRIMARY KEY, action_hash TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL,
            created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, closed_at INTEGER);`,
  },
  // Who approved (or rejected) a ticket: the approval records proposer (in body), approver and time.
  { id: 'tickets-002', sql: 'ALTER TABLE tickets ADD COLUMN closed_by TEXT;' },
];

interface Row {
  body: string;
  status: TicketStatus;
  closed_by?: string | null;
  closed_at?: number | null;
}

const storageError = (cause: unknown): JarvisError =>
  jarvisError('STORAGE_UNAVAILABLE', `ticket store failed: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, {
    hint: 'check that the state database path (storage.path) is writable',
    cause,
  });

const invalid = (message: string): JarvisError =>
  jarvisError('TICKET_INVALID', message, { hint: 'ask Jarvis to propose the action again to get a new ticket' });

export class SqliteTicketStore implements TicketStore {
  readonly #database: SqliteDatabase;

  /** Uses an already opened database (migrations applied here). */
  constructor(database: SqliteDatabase) {
    migrate(database, MIGRATIONS);
    this.#database = database;
  }

  static open(path: string): Result<SqliteTicketStore, JarvisError> {
    try {
      return ok(new SqliteTicketStore(openDatabase(path)));
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  async save(ticket: Ticket): Promise<Result<void, JarvisError>> {
    try {
      this.#database
        .prepare('INSERT INTO tickets (id, action_hash, body, status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(ticket.id, ticket.actionHash, JSON.stringify(ticket), ticket.status, ticket.createdAt, ticket.expiresAt);
      return ok(undefined);
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  async get(id: string): Promise<Result<Ticket | undefined, JarvisError>> {
    try {
      const row = this.#database.prepare('SELECT body, status, closed_by, closed_at FROM tickets WHERE id = ?').get(id) as Row | undefined;
      return ok(row ? toTicket(row) : undefined);
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  async consume(id: string, now: number, by?: string): Promise<Result<Ticket, JarvisError>> {
    return this.#close(id, now, 'consumed', true, by);
  }

  async reject(id: string, now: number, by?: string): Promise<Result<Ticket, JarvisError>> {
    return this.#close(id, now, 'rejected', false, by);
  }

  async listPending(now: number): Promise<Result<Ticket[], JarvisError>> {
    try {
      const rows = this.#database
        .prepare("SELECT body, status, closed_by, closed_at FROM tickets WHERE status = 'pending' AND expires_at > ? ORDER BY created_at")
        .all(now) as Row[];
      return ok(rows.map(toTicket));
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  async listRecent(limit: number): Promise<Result<Ticket[], JarvisError>> {
    try {
      const rows = this.#database
        .prepare('SELECT body, status, closed_by, closed_at FROM tickets ORDER BY created_at DESC, rowid DESC LIMIT ?')
        .all(Math.max(1, limit)) as Row[];
      return ok(rows.map(toTicket));
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  #close(id: string, now: number, status: 'consumed' | 'rejected', requireUnexpired: boolean, by?: string): Result<Ticket, JarvisError> {
    try {
      const row = this.#database.prepare('SELECT body, status, closed_by, closed_at FROM tickets WHERE id = ?').get(id) as Row | undefined;
      if (!row) return err(invalid(`ticket ${id.slice(0, 64)} does not exist`));
      const sql = `UPDATE tickets SET status = ?, closed_at = ?, closed_by = ? WHERE id = ? AND status = 'pending'${requireUnexpired ? ' AND expires_at > ?' : ''}`;
      const changes = requireUnexpired
        ? this.#database.prepare(sql).run(status, now, by ?? null, id, now).changes
        : this.#database.prepare(sql).run(status, now, by ?? null, id).changes;
      if (changes !== 1) {
        const ticket = toTicket(row);
        return err(invalid(ticket.status !== 'pending' ? `ticket ${id} was already ${ticket.status}: tickets are single use` : `ticket ${id} expired`));
      }
      return ok({ ...toTicket(row), status: 'pending' });
    } catch (cause) {
      return err(storageError(cause));
    }
  }
}

function toTicket(row: Row): Ticket {
  const closed =
    row.status !== 'pending'
      ? { ...(row.closed_by ? { closedBy: row.closed_by } : {}), ...(typeof row.closed_at === 'number' ? { closedAt: row.closed_at } : {}) }
      : {};
  return { ...(JSON.parse(row.body) as Ticket), status: row.status, ...closed };
}
