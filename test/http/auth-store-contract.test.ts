import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryAuthStore } from '../doubles/memory-auth-store.ts';
import { AuthService } from '../../src/app/auth/auth-service.ts';
import { SqliteAuthStore } from '../../src/adapters/sqlite/auth-store.ts';
import type { AuthStore } from '../../src/core/ports/auth.ts';

const implementations: [string, () => AuthStore][] = [
  ['memory', () => new MemoryAuthStore()],
  ['sqlite', () => SqliteAuthStore.open(join(mkdtempSync(join(tmpdir(), 'jarvis-auth-')), 'state.db'))],
];

describe.each(implementations)('AuthStore contract: %s', (_name, make) => {
  it('stores users, replaces them, and finds tokens only by hash', () => {
    const store = make();
    store.putUser({ name: 'admin', role: 'admin', passwordHash: 'h1', createdAt: 1 });
    store.putUser({ name: 'admin', role: 'operator', passwordHash: 'h2', createdAt: 2 });
    expect(store.getUser('admin')).toMatchObject({ role: 'operator', passwordHash: 'h2' });
    expect(store.getUser('nobody')).toBeUndefined();
    store.createToken({ id: 't1', name: 'ci', role: 'viewer', tokenHash: 'abc', createdAt: 5 });
    expect(store.findTokenByHash('abc')).toEqual({ id: 't1', name: 'ci', role: 'viewer', tokenHash: 'abc', createdAt: 5 });
    expect(store.revokeToken('t1', 9)).toBe(true);
    expect(store.revokeToken('t1', 10)).toBe(true);
    expect(store.findTokenByHash('abc')?.revokedAt).toBe(9);
    expect(store.revokeToken('missing', 9)).toBe(false);
    expect(store.listTokens()).toHaveLength(1);
  });

  it('keeps sessions until deleted or expired', () => {
    const store = make();
    store.createSession({ idHash: 's1', user: 'a', role: 'admin', createdAt: 0, expiresAt: 100 });
    store.createSession({ idHash: 's2', user: 'a', role: 'admin', createdAt: 0, expiresAt: 300 });
    store.createSession({ idHash: 's3', user: 'b', role: 'viewer', createdAt: 0, expiresAt: 300 });
    expect(store.deleteExpiredSessions(100)).toBe(1);
    expect(store.getSession('s1')).toBeUndefined();
    store.deleteUserSessions('a');
    expect(store.getSession('s2')).toBeUndefined();
    expect(store.getSession('s3')?.user).toBe('b');
    store.deleteSession('s3');
    expect(store.getSession('s3')).toBeUndefined();
  });

  it('lists users by name and sessions; deleting a user deletes its sessions', () => {
    const store = make();
    store.putUser({ name: 'zed', role: 'viewer', passwordHash: 'h', createdAt: 1 });
    store.putUser({ name: 'amy', role: 'admin', passwordHash: 'h', createdAt: 2 });
    expect(store.listUsers().map((user) => user.name)).toEqual(['amy', 'zed']);
    store.createSession({ idHash: 's1', user: 'zed', role: 'viewer', createdAt: 0, expiresAt: 100 });
    store.createSession({ idHash: 's2', user: 'amy', role: 'admin', createdAt: 1, expiresAt: 100 });
    expect(
      store
        .listSessions()
        .map((session) => session.idHash)
        .sort(),
    ).toEqual(['s1', 's2']);
    expect(store.deleteUser('zed')).toBe(true);
    expect(store.deleteUser('zed')).toBe(false);
    expect(store.getUser('zed')).toBeUndefined();
    expect(store.listSessions().map((session) => session.idHash)).toEqual(['s2']);
  });
});

describe('sessions on SQLite survive a restart', () => {
  it('a cookie issued before reopening the database is still valid after', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jarvis-auth-')), 'state.db');
    const clock = { now: () => 1000 };
    const first = SqliteAuthStore.open(path);
    const auth = new AuthService(first, clock, { scrypt: { N: 1024, r: 8, p: 1 } });
    await auth.setUser('admin', 'admin', 'pw');
    const login = await auth.login('admin', 'pw', '127.0.0.1');
    if (!login.ok) throw new Error('login failed');
    first.close();
    const reopened = new AuthService(SqliteAuthStore.open(path), clock);
    expect(reopened.authenticateSession(login.value.cookieValue)?.name).toBe('admin');
  });
});

describe('SqliteAuthStore file', () => {
  it('is readable by its owner only (0600), its WAL files too, and tightens an existing wider file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jarvis-auth-'));
    const path = join(dir, 'auth.db');
    const store = SqliteAuthStore.open(path);
    store.putUser({ name: 'admin', role: 'admin', passwordHash: 'h', createdAt: 1 });
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    store.close();
    const older = join(dir, 'older.db');
    writeFileSync(older, '');
    chmodSync(older, 0o644);
    SqliteAuthStore.open(older).close();
    expect(statSync(older).mode & 0o777).toBe(0o600);
  });
});
