/**
 * Opens a better-sqlite3 database in WAL mode and applies a module's migrations once
 * (tracked in `schema_migrations`). Each store owns its own migration list.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export interface Migration {
  /** Unique, stable id, e.g. `audit-001`. */
  readonly id: string;
  readonly sql: string;
}

export interface OpenOptions {
  /** `synchronous` pragma: FULL for the audit log (each commit durable), NORMAL elsewhere. */
  readonly synchronous?: 'FULL' | 'NORMAL';
  readonly readonly?: boolean;
}

/** Opens (creating parent folders) and sets WAL, busy timeout and foreign keys. Throws on I/O failure. */
export function openDatabase(path: string, options: OpenOptions = {}): SqliteDatabase {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  if (!options.readonly) {
    database.pragma('journal_mode = WAL');
    database.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  }
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  return database;
}

/** Applies the migrations not yet recorded, each in its own transaction. */
export function migrate(database: SqliteDatabase, migrations: readonly Migration[]): void {
  database.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set((database.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((row) => row.id));
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    database.transaction(() => {
      database.exec(migration.sql);
      database.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(migration.id, 0);
    })();
  }
}
