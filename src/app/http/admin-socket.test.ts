import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_NAME_HEADER, adminSocketPrincipal, listenAdminSocket } from './admin-socket.ts';

const dirs: string[] = [];
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A server whose only route answers with the admin-socket principal of the request (or null). */
function whoAmI(): FastifyInstance {
  const app = Fastify();
  app.get('/who', async (req) => ({ principal: adminSocketPrincipal(req.raw.socket, req.headers[ADMIN_NAME_HEADER]) ?? null }));
  apps.push(app);
  return app;
}

function overSocket(socketPath: string, headers: Record<string, string> = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/who', headers: { host: 'localhost', ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += String(chunk)));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-sock-'));
  dirs.push(dir);
  return dir;
}

describe('listenAdminSocket', () => {
  it('serves the app on a 0600 socket as a local admin human; the same header over TCP grants nothing', async () => {
    const dir = tempDir();
    const app = whoAmI();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const socket = await listenAdminSocket(app, join(dir, 'admin.sock'), dir);
    if (!socket.ok) throw new Error(socket.error.message);
    expect(statSync(join(dir, 'admin.sock')).mode & 0o777).toBe(0o600);
    expect(await overSocket(join(dir, 'admin.sock'), { [ADMIN_NAME_HEADER]: 'owner' })).toEqual({
      principal: { kind: 'user', name: 'owner', role: 'admin', credentialId: 'admin-socket' },
    });
    expect(await overSocket(join(dir, 'admin.sock'), { [ADMIN_NAME_HEADER]: 'not a name' })).toMatchObject({ principal: { name: 'local-admin' } });
    const tcp = await fetch(`${address}/who`, { headers: { [ADMIN_NAME_HEADER]: 'owner' } });
    expect(await tcp.json()).toEqual({ principal: null });
    await socket.value.close();
  });

  it('replaces a stale socket file, refuses while another server answers, and refuses an over-long path', async () => {
    const dir = tempDir();
    const path = join(dir, 'admin.sock');
    writeFileSync(path, ''); // left behind by a crash: nothing answers
    const first = await listenAdminSocket(whoAmI(), path, dir);
    expect(first.ok).toBe(true);
    const second = await listenAdminSocket(whoAmI(), path, dir);
    expect(!second.ok && second.error).toMatchObject({ code: 'CONFLICT', hint: expect.stringContaining('paths.dataDir') });
    if (first.ok) await first.value.close();
    const long = await listenAdminSocket(whoAmI(), join(dir, 'x'.repeat(120)), dir);
    expect(!long.ok && long.error).toMatchObject({ code: 'INVALID_INPUT', hint: expect.stringContaining('paths.dataDir') });
  });
});
