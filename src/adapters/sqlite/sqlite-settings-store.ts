/**
 * Persisted settings on SQLite (table `settings` in the state DB): the emergency stop, and the
 * runtime settings by key. A CLI `jarvis freeze` writes the same file the server reads at every
 * decision, so it takes effect at once.
 */
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { FreezeState, SettingsStore } from '../../core/ports/settings.ts';
import { migrate, openDatabase, type SqliteDatabase } from './open-database.ts';

const MIGRATIONS = [{ id: 'settings-001', sql: 'CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)' }];
const FREEZE_KEY = 'emergency_stop';

const storageError = (cause: unknown): JarvisError =>
  jarvisError('STORAGE_UNAVAILABLE', `settings store failed: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, {
    hint: 'check that the state database path (storage.path) is writable',
    cause,
  });

export class SqliteSettingsStore implements SettingsStore {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    migrate(database, MIGRATIONS);
    this.#database = database;
  }

  static open(path: string): Result<SqliteSettingsStore, JarvisError> {
    try {
      return ok(new SqliteSettingsStore(openDatabase(path)));
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  /** Unreadable or corrupt state reads as frozen (fail closed). */
  async getFreeze(): Promise<Result<FreezeState, JarvisError>> {
    try {
      const row = this.#database.prepare('SELECT value FROM settings WHERE key = ?').get(FREEZE_KEY) as { value: string } | undefined;
      if (!row) return ok({ frozen: false });
      const parsed = JSON.parse(row.value) as Partial<FreezeState>;
      return ok({ ...parsed, frozen: parsed.frozen !== false });
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  async setFreeze(state: FreezeState): Promise<Result<void, JarvisError>> {
    return this.#write(FREEZE_KEY, JSON.stringify(state));
  }

  async readSetting(key: string): Promise<Result<string | undefined, JarvisError>> {
    try {
      const row = this.#database.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
      return ok(row?.value);
    } catch (cause) {
      return err(storageError(cause));
    }
  }

  /** Any key but the emergency stop's: that one changes only through setFreeze (audited by its callers). */
  async writeSetting(key: string, value: string): Promise<Result<void, JarvisError>> {
    if (key === FREEZE_KEY) return err(jarvisError('INVALID_INPUT', `setting '${key}' is the emergency stop: change it with freeze/unfreeze`));
    return this.#write(key, value);
  }

  #write(key: string, value: string): Result<void, JarvisError> {
    try {
      this.#database.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
      return ok(undefined);
    } catch (cause) {
      return err(storageError(cause));
    }
  }
}
