/**
 * Secrets never reach the logs: the PVE token secret, the admin password, a session cookie and an
 * API token, through start-up, logins (good and bad), API calls and an MCP call, all at debug level.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteAuthStore } from '../../src/adapters/sqlite/auth-store.ts';
import { AuthService } from '../../src/app/auth/auth-service.ts';
import { startJarvis, type RunningJarvis } from '../../src/cli/compose/start-jarvis.ts';
import type { Logger } from '../../src/core/ports/logger.ts';

const lines: string[] = [];
const record = (level: string) => (fields: Readonly<Record<string, unknown>>, message: string) => {
  lines.push(`${level} ${message} ${JSON.stringify(fields, (_key, value) => (value instanceof Error ? `${value.name}: ${value.message}` : value))}`);
};
const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
let dir: string;
let running: RunningJarvis;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jarvis-secrets-'));
  const started = await startJarvis({
    argv: ['--port', '0', '--poll-interval-ms', '60000'],
    env: { JARVIS_DATA_DIR: join(dir, 'data') },
    cwd: dir,
    simulator: { seed: 1, authDelayMs: 0, taskDurationMs: 50, metricsIntervalMs: 0 },
    buildWeb: false,
    logger,
    defaultMetrics: false,
  });
  if (!started.ok) throw new Error(started.error.message);
  running = started.value;
});
afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('logs none of the PVE token secret, the admin password, a session cookie or an API token', async () => {
  const url = running.url;
  const password = running.admin.generatedPassword!;
  expect(password).toBeTruthy();
  const bad = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username: 'admin', password: `${password}x` }),
  });
  expect(bad.status).toBe(401);
  const good = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username: 'admin', password }),
  });
  expect(good.status).toBe(200);
  const cookie = (good.headers.get('set-cookie') ?? '').split(';')[0]!;
  const session = cookie.split('=')[1]!;
  expect(session.length).toBeGreaterThan(10);
  await running.jarvis.poller.tick();
  expect((await fetch(`${url}/api/state`, { headers: { cookie } })).status).toBe(200);

  const store = SqliteAuthStore.open(join(dir, 'data', 'auth.db'));
  const token = new AuthService(store, { now: () => Date.now() }).createToken('operator', 'secrets-test').token;
  store.close();
  const mcp = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'check_cluster_health', arguments: {} } }),
  });
  expect(mcp.status).toBe(200);
  await fetch(`${url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${token}x`, 'content-type': 'application/json' }, body: '{}' });

  expect(lines.length).toBeGreaterThan(0);
  const text = lines.join('\n');
  const secrets = { tokenSecret: running.simulator!.tokenSecret, password, session, token };
  for (const [name, value] of Object.entries(secrets)) {
    expect(text.includes(value), `${name} appears in the logs`).toBe(false);
  }
});
