/**
 * Audit log on SQLite (WAL, synchronous=FULL) at a path of its own. Each append is one
 * transaction: read the head, link the record (core/audit), insert the row, move the head.
 * The head (`audit_head`: row count + last hash) is a separate table, so deleting trailing rows is
 * caught by verify. Every storage failure becomes AUDIT_UNAVAILABLE; nothing is thrown.
 */
import { linkRecord, verifyChain } from '../../core/audit/audit-chain.ts';
import { GENESIS_HASH, type AuditAnchor, type AuditEntry, type AuditRecord, type ChainVerdict } from '../../core/audit/audit-record.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import { migrate, openDatabase, type SqliteDatabase } from './open-database.ts';

const MIGRATIONS = [
  {
    id: 'audit-001',
    sql: `CREATE TABLE audit (
            seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, kind TEXT NOT NULL, tool TEXT NOT NULL,
            verdict TEXT, action_hash TEXT, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
          CREATE INDEX audit_time ON audit(time);
          CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL, last_hash TEXT NOT NULL);
          INSERT INTO audit_head (id, count, last_hash) VALUES (1, 0, '${GENESIS_HASH}');`,
  },
];

interface Row {
  seq: number;
  body: string;
  hash: string;
}

function unavailable(action: string, cause: unknown): JarvisError {
  return jarvisError('AUDIT_UNAVAILABLE', `audit log ${action} failed: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, {
    hint: 'check that audit.path is writable and its volume is mounted; nothing runs without an audit row',
    cause,
  });
}

export class SqliteAuditLog implements AuditLog {
  readonly #database: SqliteDatabase;

  private constructor(database: SqliteDatabase) {
    this.#database = database;
  }

  /** Opens or creates the audit database at `path` (`:memory:` for tests). */
  static open(path: string): Result<SqliteAuditLog, JarvisError> {
    try {
      const database = openDatabase(path, { synchronous: 'FULL' });
      migrate(database, MIGRATIONS);
      return ok(new SqliteAuditLog(database));
    } catch (cause) {
      return err(unavailable('open', cause));
    }
  }

  /** Synchronous append (the async port wraps it); returns the committed record. */
  appendSync(entry: AuditEntry): Result<AuditRecord, JarvisError> {
    try {
      const record = this.#database
        .transaction(() => {
          const head = this.#database.prepare('SELECT count, last_hash AS lastHash FROM audit_head WHERE id = 1').get() as AuditAnchor;
          const previous = head.count > 0 ? { seq: head.count, hash: head.lastHash } : undefined;
          const linked = linkRecord(previous, entry);
          const { hash, ...body } = linked;
          this.#database
            .prepare('INSERT INTO audit (seq, time, kind, tool, verdict, action_hash, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
            .run(
              linked.seq,
              linked.time,
              linked.kind,
              linked.tool,
              linked.verdict ?? null,
              linked.actionHash ?? null,
              JSON.stringify(body),
              linked.prevHash,
              hash,
            );
          this.#database.prepare('UPDATE audit_head SET count = ?, last_hash = ? WHERE id = 1').run(linked.seq, hash);
          return linked;
        })
        .immediate();
      return ok(record);
    } catch (cause) {
      return err(unavailable('append', cause));
    }
  }

  async append(entry: AuditEntry): Promise<Result<AuditRecord, JarvisError>> {
    return this.appendSync(entry);
  }

  async list(options: { afterSeq?: number; limit?: number } = {}): Promise<Result<AuditRecord[], JarvisError>> {
    try {
      const rows = this.#database
        .prepare('SELECT seq, body, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?')
        .all(options.afterSeq ?? 0, options.limit ?? -1) as Row[];
      return ok(rows.map(toRecord));
    } catch (cause) {
      return err(unavailable('read', cause));
    }
  }

  async head(): Promise<Result<AuditAnchor, JarvisError>> {
    try {
      return ok(this.#database.prepare('SELECT count, last_hash AS lastHash FROM audit_head WHERE id = 1').get() as AuditAnchor);
    } catch (cause) {
      return err(unavailable('read', cause));
    }
  }

  async verify(): Promise<Result<ChainVerdict, JarvisError>> {
    const records = await this.list();
    if (!records.ok) return records;
    const head = await this.head();
    if (!head.ok) return head;
    const chain = verifyChain(records.value, head.value);
    try {
      // The indexed columns are copies for queries; they must agree with the hashed body.
      const drifted = this.#database
        .prepare(
          `SELECT seq FROM audit WHERE time IS NOT json_extract(body, '$.time') OR kind IS NOT json_extract(body, '$.kind')
                  OR tool IS NOT json_extract(body, '$.tool') OR verdict IS NOT json_extract(body, '$.verdict')
                  OR action_hash IS NOT json_extract(body, '$.actionHash') OR prev_hash IS NOT json_extract(body, '$.prevHash') ORDER BY seq LIMIT 50`,
        )
        .all() as { seq: number }[];
      if (drifted.length === 0) return ok(chain);
      return ok({
        ok: false,
        checked: chain.checked,
        problems: [...chain.problems, ...drifted.map((row) => `row ${row.seq}: indexed columns differ from the hashed record (row altered)`)],
      });
    } catch (cause) {
      return err(unavailable('verify', cause));
    }
  }

  close(): void {
    this.#database.close();
  }
}

function toRecord(row: Row): AuditRecord {
  let body: Omit<AuditRecord, 'hash'>;
  try {
    body = JSON.parse(row.body) as Omit<AuditRecord, 'hash'>;
  } catch {
    body = { seq: row.seq, kind: 'decision', time: 0, actor: { kind: 'system', id: 'unparseable' }, tool: 'unparseable', prevHash: '' };
  }
  // The row's seq column is authoritative: a body moved to another row fails verification.
  return { ...body, seq: row.seq, hash: row.hash };
}
