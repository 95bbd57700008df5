import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteAuthStore } from '../../src/adapters/sqlite/auth-store.ts';
import { AuthService } from '../../src/app/auth/auth-service.ts';
import { run } from '../../src/cli/commands/user.ts';
import { buildTestServer } from './test-server.ts';

const ORIGIN = 'http://localhost:80';

async function user(args: string[], dataDir: string, stdin = ''): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const error = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { status: await run([...args, '--data-dir', dataDir], Readable.from([stdin])), stdout, stderr };
  } finally {
    out.mockRestore();
    error.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('jarvis user', () => {
  it('adds, lists, changes the password of (ending sessions) and removes a user', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jarvis-user-'));
    expect((await user(['add', 'alice', '--role', 'operator'], dataDir, 'correct horse\n')).status).toBe(0);
    expect((await user(['add', 'alice', '--role', 'viewer'], dataDir, 'another one\n')).status).toBe(1);
    expect((await user(['add', 'bob', '--role', 'root'], dataDir, 'whatever12\n')).status).toBe(2);
    expect((await user(['add', 'bob', '--role', 'viewer'], dataDir, 'short\n')).status).toBe(2);
    const store = SqliteAuthStore.open(join(dataDir, 'auth.db'));
    const auth = new AuthService(store, { now: () => Date.now() }, { scrypt: { N: 1024, r: 8, p: 1 } });
    const login = await auth.login('alice', 'correct horse', '127.0.0.1');
    expect(login.ok).toBe(true);
    const listed = await user(['list'], dataDir);
    expect(listed.stdout).toMatch(/^alice\toperator\t.*1 session\n$/);
    expect(listed.stdout).not.toContain('scrypt');
    expect((await user(['passwd', 'alice'], dataDir, 'new password!\n')).status).toBe(0);
    if (login.ok) expect(auth.authenticateSession(login.value.cookieValue)).toBeUndefined();
    expect((await auth.login('alice', 'new password!', '127.0.0.2')).ok).toBe(true);
    expect((await user(['remove', 'alice'], dataDir)).status).toBe(0);
    expect(auth.hasUser('alice')).toBe(false);
    expect(auth.listSessions()).toEqual([]);
    expect((await user(['remove', 'alice'], dataDir)).status).toBe(1);
    store.close();
  });
});

describe('user management over HTTP', () => {
  it('lets an admin add a user, list sessions, revoke one; a password change ends the other sessions only', async () => {
    const server = await buildTestServer();
    try {
      const admin = await server.login('admin');
      const headers = { cookie: admin, origin: ORIGIN };
      const created = await server.app.inject({
        method: 'POST',
        url: '/api/users',
        headers,
        payload: { name: 'carol', role: 'viewer', password: 'carol-pass-1' },
      });
      expect(created.statusCode).toBe(200);
      const duplicate = await server.app.inject({
        method: 'POST',
        url: '/api/users',
        headers,
        payload: { name: 'carol', role: 'viewer', password: 'carol-pass-1' },
      });
      expect(duplicate.json().error.code).toBe('CONFLICT');
      const bad = await server.app.inject({ method: 'POST', url: '/api/users', headers, payload: { name: '../x', role: 'god', password: '1' } });
      expect(bad.statusCode).toBe(400);
      const carolLogin = async () => {
        const response = await server.app.inject({
          method: 'POST',
          url: '/api/login',
          headers: { origin: ORIGIN },
          payload: { username: 'carol', password: 'carol-pass-1' },
        });
        return String(response.headers['set-cookie']).split(';')[0]!;
      };
      const carolA = await carolLogin();
      const carolB = await carolLogin();
      const list = (await server.app.inject({ method: 'GET', url: '/api/users', headers })).json();
      expect(list.users.map((entry: { name: string }) => entry.name)).toContain('carol');
      expect(JSON.stringify(list)).not.toMatch(/scrypt|passwordHash|idHash/);
      const carolSessions = list.sessions.filter((session: { user: string }) => session.user === 'carol');
      expect(carolSessions).toHaveLength(2);
      expect(list.sessions.filter((session: { current: boolean }) => session.current)).toHaveLength(1);
      // a viewer cannot manage users
      expect((await server.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: carolA, origin: ORIGIN } })).statusCode).toBe(403);
      // carol changes her own password from session A: B is signed out, A stays
      const changed = await server.app.inject({
        method: 'POST',
        url: '/api/users/carol/password',
        headers: { cookie: carolA, origin: ORIGIN },
        payload: { password: 'carol-pass-2' },
      });
      expect(changed.statusCode).toBe(200);
      expect((await server.app.inject({ method: 'GET', url: '/api/state', headers: { cookie: carolB } })).statusCode).toBe(401);
      expect((await server.app.inject({ method: 'GET', url: '/api/state', headers: { cookie: carolA } })).statusCode).toBe(200);
      // carol cannot change someone else's password
      expect(
        (
          await server.app.inject({
            method: 'POST',
            url: '/api/users/admin/password',
            headers: { cookie: carolA, origin: ORIGIN },
            payload: { password: 'hijacked!!' },
          })
        ).statusCode,
      ).toBe(403);
      // the admin revokes carol's remaining session
      const remaining = (await server.app.inject({ method: 'GET', url: '/api/users', headers }))
        .json()
        .sessions.find((session: { user: string }) => session.user === 'carol');
      expect((await server.app.inject({ method: 'DELETE', url: `/api/sessions/${remaining.id}`, headers })).statusCode).toBe(200);
      expect((await server.app.inject({ method: 'GET', url: '/api/state', headers: { cookie: carolA } })).statusCode).toBe(401);
      // an admin cannot remove itself; removing carol works once
      expect((await server.app.inject({ method: 'DELETE', url: '/api/users/admin', headers })).statusCode).toBe(400);
      expect((await server.app.inject({ method: 'DELETE', url: '/api/users/carol', headers })).statusCode).toBe(200);
      expect((await server.app.inject({ method: 'DELETE', url: '/api/users/carol', headers })).statusCode).toBe(404);
    } finally {
      await server.app.close();
    }
  });
});
