/**
 * Users, API tokens and sessions on SQLite (WAL), so sessions survive a restart of the server.
 * Only hashes are stored: scrypt for passwords, SHA-256 for token secrets and session ids.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuthRole, AuthStore, SessionRecord, TokenRecord, UserRecord } from '../../core/ports/auth.ts';
import { migrate, openDatabase, type SqliteDatabase } from './open-database.ts';

const MIGRATIONS = [
  {
    id: 'auth-001',
    sql: `
      CREATE TABLE auth_users (name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE auth_tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL, revoked_at INTEGER);
      CREATE TABLE auth_sessions (id_hash TEXT PRIMARY KEY, user TEXT NOT NULL, role TEXT NOT NULL, created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL);
      CREATE INDEX auth_sessions_expiry ON auth_sessions (expires_at);`,
  },
  { id: 'auth-002', sql: 'CREATE TABLE auth_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)' },
];

interface TokenRow {
  id: string;
  name: string;
  role: AuthRole;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
}

const toToken = (row: TokenRow): TokenRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
});

/** AuthStore on a better-sqlite3 database (its own tables; may share the state database file). */
export class SqliteAuthStore implements AuthStore {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    migrate(database, MIGRATIONS);
    this.#database = database;
  }

  /**
   * Opens (creating) the database at `path`, readable by its owner only (mode 0600: it holds
   * password hashes; SQLite gives its -wal/-shm files the same mode). Throws on I/O failure (a
   * start-up error).
   */
  static open(path: string): SqliteAuthStore {
    if (path !== ':memory:') {
      if (!existsSync(path)) {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        closeSync(openSync(path, 'a', 0o600)); // an empty file is an empty SQLite database
      }
      chmodSync(path, 0o600); // also tightens a file created by an older version or a wide umask
    }
    return new SqliteAuthStore(openDatabase(path));
  }

  close(): void {
    this.#database.close();
  }

  getUser(name: string): UserRecord | undefined {
    const row = this.#database.prepare('SELECT name, role, password_hash, created_at FROM auth_users WHERE name = ?').get(name) as
      { name: string; role: AuthRole; password_hash: string; created_at: number } | undefined;
    return row ? { name: row.name, role: row.role, passwordHash: row.password_hash, createdAt: row.created_at } : undefined;
  }

  putUser(user: UserRecord): void {
    this.#database
      .prepare(
        'INSERT INTO auth_users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash',
      )
      .run(user.name, user.role, user.passwordHash, user.createdAt);
  }

  listUsers(): UserRecord[] {
    const rows = this.#database.prepare('SELECT name, role, password_hash, created_at FROM auth_users ORDER BY name').all() as {
      name: string;
      role: AuthRole;
      password_hash: string;
      created_at: number;
    }[];
    return rows.map((row) => ({ name: row.name, role: row.role, passwordHash: row.password_hash, createdAt: row.created_at }));
  }

  deleteUser(name: string): boolean {
    this.deleteUserSessions(name);
    return this.#database.prepare('DELETE FROM auth_users WHERE name = ?').run(name).changes > 0;
  }

  listSessions(): SessionRecord[] {
    const rows = this.#database.prepare('SELECT * FROM auth_sessions ORDER BY created_at').all() as {
      id_hash: string;
      user: string;
      role: AuthRole;
      created_at: number;
      expires_at: number;
    }[];
    return rows.map((row) => ({ idHash: row.id_hash, user: row.user, role: row.role, createdAt: row.created_at, expiresAt: row.expires_at }));
  }

  createToken(token: TokenRecord): void {
    this.#database
      .prepare('INSERT INTO auth_tokens (id, name, role, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(token.id, token.name, token.role, token.tokenHash, token.createdAt, token.revokedAt ?? null);
  }

  findTokenByHash(tokenHash: string): TokenRecord | undefined {
    const row = this.#database.prepare('SELECT * FROM auth_tokens WHERE token_hash = ?').get(tokenHash) as TokenRow | undefined;
    return row ? toToken(row) : undefined;
  }

  revokeToken(id: string, at: number): boolean {
    const found = this.#database.prepare('SELECT id FROM auth_tokens WHERE id = ?').get(id);
    if (!found) return false;
    this.#database.prepare('UPDATE auth_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(at, id);
    return true;
  }

  listTokens(): TokenRecord[] {
    return (this.#database.prepare('SELECT * FROM auth_tokens ORDER BY created_at, id').all() as TokenRow[]).map(toToken);
  }

  createSession(session: SessionRecord): void {
    this.#database
      .prepare('INSERT INTO auth_sessions (id_hash, user, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(session.idHash, session.user, session.role, session.createdAt, session.expiresAt);
  }

  getSession(idHash: string): SessionRecord | undefined {
    const row = this.#database.prepare('SELECT * FROM auth_sessions WHERE id_hash = ?').get(idHash) as
      { id_hash: string; user: string; role: AuthRole; created_at: number; expires_at: number } | undefined;
    return row ? { idHash: row.id_hash, user: row.user, role: row.role, createdAt: row.created_at, expiresAt: row.expires_at } : undefined;
  }

  deleteSession(idHash: string): void {
    this.#database.prepare('DELETE FROM auth_sessions WHERE id_hash = ?').run(idHash);
  }

  deleteUserSessions(user: string): void {
    this.#database.prepare('DELETE FROM auth_sessions WHERE user = ?').run(user);
  }

  deleteExpiredSessions(now: number): number {
    return this.#database.prepare('DELETE FROM auth_sessions WHERE expires_at <= ?').run(now).changes;
  }

  /**
   * The settings older versions kept here (table auth_settings: the AI switch). The runtime settings
   * now live in the state DB's settings table; the composition root moves these there once
   * (jarvis-parts.ts: migrateLegacySettings), then drops them here.
   */
  legacySettings(): Array<{ key: string; value: string }> {
    return this.#database.prepare('SELECT key, value FROM auth_settings ORDER BY key').all() as Array<{ key: string; value: string }>;
  }

  /** Deletes what legacySettings returned, once it is stored elsewhere. */
  dropLegacySettings(keys: readonly string[]): void {
    const remove = this.#database.prepare('DELETE FROM auth_settings WHERE key = ?');
    for (const key of keys) remove.run(key);
  }
}
