/**
 * Memory on SQLite (better-sqlite3, WAL). Entries in `memory_entries`, one row per entity/topic key
 * in `memory_keys` (tier and updated_at copied in, so selection is an index range scan per key),
 * and the version log of core facts in `memory_versions` (deleted with its entry: forgetting a
 * fact forgets its history). One core fact per subject (partial unique index).
 */
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { FactVersion, MemoryEntry, MemoryStatus, MemoryTier, MemoryWriter } from '../../core/memory/types.ts';
import type { MemoryChange, MemoryListQuery, MemoryStore } from '../../core/ports/memory.ts';
import { migrate, openDatabase, type SqliteDatabase } from './open-database.ts';

export const MEMORY_MIGRATIONS = [
  {
    id: 'memory-001',
    sql: `
      CREATE TABLE memory_entries (
        id TEXT PRIMARY KEY,
        tier TEXT NOT NULL,
        subject TEXT NOT NULL,
        text TEXT NOT NULL,
        entities TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER,
        count INTEGER NOT NULL DEFAULT 1,
        writer TEXT NOT NULL,
        principal TEXT NOT NULL,
        source_id TEXT,
        written_at INTEGER NOT NULL,
        tainted INTEGER NOT NULL,
        note TEXT
      );
      CREATE UNIQUE INDEX memory_core_subject ON memory_entries(subject) WHERE tier = 'core';
      CREATE INDEX memory_tier_updated ON memory_entries(tier, updated_at DESC);
      CREATE INDEX memory_expires ON memory_entries(expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE memory_keys (
        key TEXT NOT NULL,
        tier TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        entry_id TEXT NOT NULL REFERENCES memory_entries(id) ON DELETE CASCADE,
        PRIMARY KEY (key, entry_id)
      ) WITHOUT ROWID;
      CREATE INDEX memory_keys_lookup ON memory_keys(key, tier, updated_at DESC);
      CREATE INDEX memory_keys_entry ON memory_keys(entry_id);
      CREATE TABLE memory_versions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id TEXT NOT NULL REFERENCES memory_entries(id) ON DELETE CASCADE,
        old_text TEXT NOT NULL,
        new_text TEXT NOT NULL,
        writer TEXT NOT NULL,
        principal TEXT NOT NULL,
        source_id TEXT,
        tainted INTEGER NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX memory_versions_entry ON memory_versions(entry_id, seq);
    `,
  },
];

interface EntryRow {
  id: string;
  tier: string;
  subject: string;
  text: string;
  entities: string;
  status: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  count: number;
  writer: string;
  principal: string;
  source_id: string | null;
  written_at: number;
  tainted: number;
  note: string | null;
}

function toEntry(row: EntryRow): MemoryEntry {
  let entities: string[] = [];
  try {
    const parsed = JSON.parse(row.entities) as unknown;
    if (Array.isArray(parsed)) entities = parsed.filter((value): value is string => typeof value === 'string');
  } catch {
    entities = [];
  }
  return {
    id: row.id,
    tier: row.tier as MemoryTier,
    subject: row.subject,
    text: row.text,
    entities,
    status: row.status as MemoryStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}),
    count: row.count,
    provenance: {
      writer: row.writer as MemoryWriter,
      principal: row.principal,
      at: row.written_at,
      ...(row.source_id !== null ? { sourceId: row.source_id } : {}),
      tainted: row.tainted === 1,
    },
    ...(row.note !== null ? { note: row.note } : {}),
  };
}

const storageError = (cause: unknown): JarvisError =>
  jarvisError('STORAGE_UNAVAILABLE', `memory store failed: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, {
    hint: 'check that the state database path (storage.path) is writable',
    cause,
  });

export class SqliteMemoryStore implements MemoryStore {
  readonly #db: SqliteDatabase;
  readonly #upsert;
  readonly #deleteKeys;
  readonly #insertKey;
  readonly #deleteEntry;
  readonly #insertVersion;
  readonly #byId;
  readonly #bySubject;
  readonly #coreForKey;
  readonly #recentForKey;

  constructor(database: SqliteDatabase) {
    migrate(database, MEMORY_MIGRATIONS);
    this.#db = database;
    this.#upsert = database.prepare(`
      INSERT INTO memory_entries (id, tier, subject, text, entities, status, created_at, updated_at, expires_at, count, writer, principal, source_id, written_at, tainted, note)
      VALUES (@id, @tier, @subject, @text, @entities, @status, @created_at, @updated_at, @expires_at, @count, @writer, @principal, @source_id, @written_at, @tainted, @note)
      ON CONFLICT(id) DO UPDATE SET tier = excluded.tier, subject = excluded.subject, text = excluded.text, entities = excluded.entities,
        status = excluded.status, created_at = excluded.created_at, updated_at = excluded.updated_at, expires_at = excluded.expires_at,
        count = excluded.count, writer = excluded.writer, principal = excluded.principal, source_id = excluded.source_id,
        written_at = excluded.written_at, tainted = excluded.tainted, note = excluded.note`);
    this.#deleteKeys = database.prepare('DELETE FROM memory_keys WHERE entry_id = ?');
    this.#insertKey = database.prepare('INSERT OR IGNORE INTO memory_keys (key, tier, updated_at, entry_id) VALUES (?, ?, ?, ?)');
    this.#deleteEntry = database.prepare('DELETE FROM memory_entries WHERE id = ?');
    this.#insertVersion = database.prepare(
      'INSERT INTO memory_versions (entry_id, old_text, new_text, writer, principal, source_id, tainted, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#byId = database.prepare('SELECT * FROM memory_entries WHERE id = ?');
    this.#bySubject = database.prepare("SELECT * FROM memory_entries WHERE tier = 'core' AND subject = ?");
    this.#coreForKey = database.prepare(
      "SELECT e.* FROM memory_keys k JOIN memory_entries e ON e.id = k.entry_id WHERE k.key = ? AND k.tier = 'core' AND e.status = 'active' ORDER BY k.updated_at DESC LIMIT ?",
    );
    this.#recentForKey = database.prepare(
      "SELECT e.* FROM memory_keys k JOIN memory_entries e ON e.id = k.entry_id WHERE k.key = ? AND k.tier = ? AND k.updated_at >= ? AND e.status = 'active' ORDER BY k.updated_at DESC LIMIT ?",
    );
  }

  static open(path: string): Result<SqliteMemoryStore, JarvisError> {
    try {
      return ok(new SqliteMemoryStore(openDatabase(path)));
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  #guard<T>(work: () => T): Result<T, JarvisError> {
    try {
      return ok(work());
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  async apply(change: MemoryChange): Promise<Result<void, JarvisError>> {
    return this.#guard(() =>
      this.#db.transaction(() => {
        for (const id of change.deletes ?? []) this.#deleteEntry.run(id);
        for (const entry of change.upserts ?? []) {
          this.#upsert.run({
            id: entry.id,
            tier: entry.tier,
            subject: entry.subject,
            text: entry.text,
            entities: JSON.stringify(entry.entities),
            status: entry.status,
            created_at: entry.createdAt,
            updated_at: entry.updatedAt,
            expires_at: entry.expiresAt ?? null,
            count: entry.count,
            writer: entry.provenance.writer,
            principal: entry.provenance.principal,
            source_id: entry.provenance.sourceId ?? null,
            written_at: entry.provenance.at,
            tainted: entry.provenance.tainted ? 1 : 0,
            note: entry.note ?? null,
          });
          this.#deleteKeys.run(entry.id);
          for (const key of new Set(entry.entities)) this.#insertKey.run(key, entry.tier, entry.updatedAt, entry.id);
        }
        for (const version of change.versions ?? []) {
          this.#insertVersion.run(
            version.entryId,
            version.oldText,
            version.newText,
            version.provenance.writer,
            version.provenance.principal,
            version.provenance.sourceId ?? null,
            version.provenance.tainted ? 1 : 0,
            version.at,
          );
        }
      })(),
    );
  }

  async get(id: string): Promise<Result<MemoryEntry | undefined, JarvisError>> {
    return this.#guard(() => {
      const row = this.#byId.get(id) as EntryRow | undefined;
      return row ? toEntry(row) : undefined;
    });
  }

  async coreFact(subject: string): Promise<Result<MemoryEntry | undefined, JarvisError>> {
    return this.#guard(() => {
      const row = this.#bySubject.get(subject) as EntryRow | undefined;
      return row ? toEntry(row) : undefined;
    });
  }

  async list(query: MemoryListQuery): Promise<Result<{ entries: MemoryEntry[]; total: number }, JarvisError>> {
    return this.#guard(() => {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (query.tier) {
        where.push('tier = ?');
        params.push(query.tier);
      }
      if (query.status) {
        where.push('status = ?');
        params.push(query.status);
      }
      if (query.search) {
        where.push("(text LIKE ? ESCAPE '\\' OR subject LIKE ? ESCAPE '\\')");
        const like = `%${query.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
        params.push(like, like);
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const limit = Math.min(Math.max(1, query.limit ?? 100), 1000);
      const offset = Math.max(0, query.offset ?? 0);
      const total = (this.#db.prepare(`SELECT COUNT(*) AS n FROM memory_entries ${clause}`).get(...params) as { n: number }).n;
      const rows = this.#db
        .prepare(`SELECT * FROM memory_entries ${clause} ORDER BY updated_at DESC, id LIMIT ? OFFSET ?`)
        .all(...params, limit, offset) as EntryRow[];
      return { entries: rows.map(toEntry), total };
    });
  }

  async candidates(keys: readonly string[], since: number, perKey: number): Promise<Result<MemoryEntry[], JarvisError>> {
    return this.#guard(() => {
      const found = new Map<string, MemoryEntry>();
      for (const key of new Set(keys)) {
        // Core facts are selected by entity only (a topic alone never makes a fact relevant).
        if (!key.startsWith('topic:'))
          for (const row of this.#coreForKey.all(key, perKey * 2) as EntryRow[]) if (!found.has(row.id)) found.set(row.id, toEntry(row));
        for (const tier of ['event', 'pattern', 'conversation'] as const) {
          for (const row of this.#recentForKey.all(key, tier, since, perKey) as EntryRow[]) if (!found.has(row.id)) found.set(row.id, toEntry(row));
        }
      }
      return [...found.values()];
    });
  }

  async versions(entryId: string): Promise<Result<FactVersion[], JarvisError>> {
    return this.#guard(() =>
      (
        this.#db.prepare('SELECT * FROM memory_versions WHERE entry_id = ? ORDER BY seq').all(entryId) as {
          entry_id: string;
          old_text: string;
          new_text: string;
          writer: string;
          principal: string;
          source_id: string | null;
          tainted: number;
          at: number;
        }[]
      ).map((row) => ({
        entryId: row.entry_id,
        oldText: row.old_text,
        newText: row.new_text,
        at: row.at,
        provenance: {
          writer: row.writer as MemoryWriter,
          principal: row.principal,
          at: row.at,
          ...(row.source_id !== null ? { sourceId: row.source_id } : {}),
          tainted: row.tainted === 1,
        },
      })),
    );
  }

  async all(): Promise<Result<MemoryEntry[], JarvisError>> {
    return this.#guard(() => (this.#db.prepare('SELECT * FROM memory_entries').all() as EntryRow[]).map(toEntry));
  }

  async wipeTier(tier: MemoryTier): Promise<Result<number, JarvisError>> {
    return this.#guard(() => this.#db.prepare('DELETE FROM memory_entries WHERE tier = ?').run(tier).changes);
  }
}
