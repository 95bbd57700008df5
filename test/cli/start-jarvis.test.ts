import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startJarvis, type RunningJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { startTestJarvis, type TestJarvis } from '../helpers/start-test-jarvis.ts';

let dir: string;
let running: RunningJarvis;
let harness: TestJarvis;

async function login(url: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username: 'admin', password }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}

describe('startJarvis on the embedded simulator (what `npm start` runs)', () => {
  beforeAll(async () => {
    harness = await startTestJarvis({ seed: 1, pollIntervalMs: 60000, prefix: 'jarvis-start-' });
    running = harness.running;
    dir = harness.dir;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('listens on loopback and reports itself on the simulated cluster', () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.simulator).toBeDefined();
    expect(running.endpoint).toMatchObject({ simulated: true, fingerprint: running.simulator?.fingerprint });
  });

  it('generates the admin password on first start and writes it 0600 under the data dir', () => {
    const password = running.admin.generatedPassword;
    expect(password).toBeTruthy();
    const file = join(dir, 'data', 'admin-password');
    expect(readFileSync(file, 'utf8').trim()).toBe(password);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('serves /health without auth and refuses /api/state without a session', async () => {
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
    expect((await fetch(`${running.url}/api/state`)).status).toBe(401);
  });

  it('polls the simulator through the real PVE client: /api/state shows the seed topology', async () => {
    const result = await running.jarvis.poller.tick();
    expect(result.ok).toBe(true);
    const cookie = await login(running.url, running.admin.generatedPassword!);
    const response = await fetch(`${running.url}/api/state`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const state = (await response.json()) as { snapshot: { nodes: { name: string }[]; guests: { vmid: number; name?: string }[] }; data: { fresh: boolean } };
    expect(state.snapshot.nodes.map((node) => node.name).sort()).toEqual(['Home', 'agent', 'agent1', 'pve']);
    expect(state.snapshot.guests.find((guest) => guest.vmid === 103)?.name).toBe('management');
    expect(state.data.fresh).toBe(true);
  });

  it('exports poll durations on /metrics (Prometheus text, authenticated)', async () => {
    await running.jarvis.poller.tick();
    const cookie = await login(running.url, running.admin.generatedPassword!);
    const response = await fetch(`${running.url}/metrics`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/jarvis_poll_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect((await fetch(`${running.url}/metrics`)).status).toBe(401);
  });

  it('serves the WebSocket hub: the first frame is the snapshot, with seq and server time', async () => {
    const cookie = await login(running.url, running.admin.generatedPassword!);
    const socket = new WebSocket(`${running.url.replace('http', 'ws')}/ws`, { headers: { cookie, origin: running.url } });
    try {
      const frame = await new Promise<{ type: string; seq: number; ts: number }>((resolve, reject) => {
        socket.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8'))));
        socket.once('error', reject);
        socket.once('close', (code) => reject(new Error(`closed ${code}`)));
      });
      expect(frame.type).toBe('snapshot');
      expect(typeof frame.seq).toBe('number');
      expect(typeof frame.ts).toBe('number');
    } finally {
      socket.terminate();
    }
  });

  it('turns a node going offline in the simulator into a node-offline event', async () => {
    await running.jarvis.poller.tick();
    running.simulator!.world.applyFault({ kind: 'node-offline', node: 'agent' });
    const result = await running.jarvis.poller.tick();
    expect(result.ok && result.events.map((event) => event.type)).toContain('node-offline');
    expect(running.jarvis.events.list({ limit: 100 }).some((event) => event.type === 'node-offline' && event.node === 'agent')).toBe(true);
    running.simulator!.world.clearFaults();
  });

  it('acts only through the guarded executor: stopping a VM needs a ticket, approval runs it, the audit chain verifies', async () => {
    const executor = running.jarvis.executor;
    expect(executor).toBeDefined();
    const snapshot = await running.jarvis.poller.tick();
    const target = snapshot.ok
      ? snapshot.snapshot.guests.find((guest) => guest.status === 'running' && guest.vmid !== 103 && guest.type === 'qemu')
      : undefined;
    expect(target).toBeDefined();
    const action = {
      kind: 'guest.stop' as const,
      target: { type: 'guest' as const, vmid: target!.vmid },
      params: {},
      expectedIdentity: { vmid: target!.vmid, name: target!.name, node: target!.node },
      actor: { kind: 'user' as const, id: 'admin' },
      reason: 'test',
    };
    const proposed = await executor.propose(action);
    expect(proposed.status).toBe('needs-confirmation');
    if (proposed.status !== 'needs-confirmation') return;
    // Another human approves: nobody approves their own proposal (issue 8).
    const approved = await executor.approve(proposed.approval.id, { id: 'second-admin', role: 'admin', kind: 'user' });
    expect(approved.status).toBe('done');
    const protectedVm = await executor.propose({
      ...action,
      target: { type: 'guest', vmid: 103 },
      expectedIdentity: { vmid: 103, name: 'management', node: 'agent1' },
    });
    expect(protectedVm.status).toBe('denied');
    const { SqliteAuditLog } = await import('../../src/adapters/sqlite/sqlite-audit-log.ts');
    const reopened = SqliteAuditLog.open(join(dir, 'data', 'audit', 'audit.db'));
    if (!reopened.ok) throw new Error(reopened.error.message);
    const verdict = await reopened.value.verify();
    reopened.value.close();
    expect(verdict.ok && verdict.value).toMatchObject({ ok: true });
  });

  it('dashboard API: a stop request becomes an approval; approving it runs the task and the audit log shows it', async () => {
    const cookie = await login(running.url, running.admin.generatedPassword!);
    const headers = { cookie, origin: running.url, 'content-type': 'application/json' };
    const tick = await running.jarvis.poller.tick();
    const target = tick.ok ? tick.snapshot.guests.find((guest) => guest.status === 'running' && guest.vmid !== 103 && guest.type === 'qemu') : undefined;
    expect(target).toBeDefined();
    const proposed = await fetch(`${running.url}/api/actions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ kind: 'guest.stop', vmid: target!.vmid, expectedName: target!.name, expectedNode: target!.node }),
    });
    expect(proposed.status).toBe(200);
    const outcome = (await proposed.json()) as { status: string; approval?: { id: string; actionHash?: string } };
    expect(outcome.status).toBe('needs-confirmation');
    const pending = (await (await fetch(`${running.url}/api/approvals?status=pending`, { headers })).json()) as { approvals: { id: string }[] };
    expect(pending.approvals.map((approval) => approval.id)).toContain(outcome.approval!.id);
    // The proposer may not approve through the queue; the same human confirms inline, bound to the hash (issue 8).
    const ownQueue = await fetch(`${running.url}/api/approvals/${outcome.approval!.id}/approve`, { method: 'POST', headers, body: '{}' });
    expect(ownQueue.status).toBe(403);
    const approved = await fetch(`${running.url}/api/actions/confirm`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ticketId: outcome.approval!.id, actionHash: outcome.approval!.actionHash }),
    });
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as { status: string }).status).toBe('done');
    const audit = (await (await fetch(`${running.url}/api/audit?limit=20`, { headers })).json()) as { entries: { target?: string }[] };
    expect(audit.entries.some((entry) => (entry.target ?? '').includes(String(target!.vmid)))).toBe(true);
  });

  it('serves MCP at /mcp to a bearer token created the way `jarvis token create` does (same auth DB)', async () => {
    const { SqliteAuthStore } = await import('../../src/adapters/sqlite/auth-store.ts');
    const { AuthService } = await import('../../src/app/auth/auth-service.ts');
    const store = SqliteAuthStore.open(join(dir, 'data', 'auth.db'));
    const { token } = new AuthService(store, { now: () => Date.now() }).createToken('viewer', 'test-client');
    store.close();
    const response = await fetch(`${running.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('check_cluster_health');
    expect(text).not.toContain('manage_vm');
    const anonymous = await fetch(`${running.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
  });

  it('close() stops the server and the simulator', async () => {
    const { url } = running;
    const simulatorUrl = running.simulator!.adminUrl;
    await running.close();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    await expect(fetch(simulatorUrl)).rejects.toThrow();
  });
});

describe('startJarvis --config with a configured cluster (the simulator standing in for a real one)', () => {
  it('uses the configured endpoint with the pinned fingerprint and the token secret from the environment', async () => {
    const { startSimulator } = await import('../../src/sim/index.ts');
    const sim = await startSimulator({ seed: 2, authDelayMs: 0, metricsIntervalMs: 0 });
    const work = mkdtempSync(join(tmpdir(), 'jarvis-real-'));
    const yaml = `pve:\n  url: ${sim.url}\n  tokenId: "${sim.tokenId}"\n  fingerprint: "${sim.fingerprint}"\nserver:\n  port: 0\npoll:\n  intervalMs: 60000\nllm:\n  enabled: false\n`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(work, 'jarvis.yaml'), yaml);
    const started = await startJarvis({
      argv: ['--config', 'jarvis.yaml'],
      env: { JARVIS_PVE_TOKEN_SECRET: sim.tokenSecret, JARVIS_ADMIN_PASSWORD: 'correct horse battery' },
      cwd: work,
      buildWeb: false,
      logger: silentLogger,
      defaultMetrics: false,
    });
    try {
      if (!started.ok) throw new Error(started.error.message);
      expect(started.value.simulator).toBeUndefined();
      expect(started.value.endpoint).toMatchObject({ url: sim.url, simulated: false, fingerprint: sim.fingerprint });
      expect(started.value.admin.generatedPassword).toBeUndefined();
      const result = await started.value.jarvis.poller.tick();
      expect(result.ok && result.snapshot.nodes).toHaveLength(4);
      const cookie = await login(started.value.url, 'correct horse battery');
      const state = (await (await fetch(`${started.value.url}/api/state`, { headers: { cookie } })).json()) as { settings: { aiEnabled: boolean } };
      expect(state.settings.aiEnabled).toBe(false);
    } finally {
      if (started.ok) await started.value.close();
      await sim.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('startJarvis with pve.insecure: true (no pin)', () => {
  it('polls the cluster and warns that TLS verification is disabled, on every start', async () => {
    const { startSimulator } = await import('../../src/sim/index.ts');
    const { writeFileSync } = await import('node:fs');
    const sim = await startSimulator({ seed: 5, authDelayMs: 0, metricsIntervalMs: 0 });
    const work = mkdtempSync(join(tmpdir(), 'jarvis-insecure-'));
    writeFileSync(
      join(work, 'jarvis.yaml'),
      `pve:\n  url: ${sim.url}\n  tokenId: "${sim.tokenId}"\n  insecure: true\nserver:\n  port: 0\npoll:\n  intervalMs: 60000\n`,
    );
    try {
      for (let start = 0; start < 2; start += 1) {
        const warnings: string[] = [];
        const logger = { ...silentLogger, warn: (_fields: object, message: string) => void warnings.push(message) };
        const started = await startJarvis({
          argv: ['--config', 'jarvis.yaml'],
          env: { JARVIS_PVE_TOKEN_SECRET: sim.tokenSecret },
          cwd: work,
          buildWeb: false,
          logger,
          defaultMetrics: false,
        });
        if (!started.ok) throw new Error(started.error.message);
        try {
          expect(started.value.endpoint).toMatchObject({ insecure: true, fingerprint: undefined });
          expect((await started.value.jarvis.poller.tick()).ok).toBe(true);
          expect(warnings.filter((message) => message.includes('TLS verification is DISABLED'))).toHaveLength(1);
        } finally {
          await started.value.close();
        }
      }
    } finally {
      await sim.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('startJarvis with ticket auth (pve.auth: ticket, password from the environment)', () => {
  it('logs in with the configured user and polls the cluster', async () => {
    const { startSimulator } = await import('../../src/sim/index.ts');
    const { writeFileSync } = await import('node:fs');
    const sim = await startSimulator({ seed: 4, authDelayMs: 0, metricsIntervalMs: 0 });
    const work = mkdtempSync(join(tmpdir(), 'jarvis-ticket-'));
    writeFileSync(
      join(work, 'jarvis.yaml'),
      `pve:\n  url: ${sim.url}\n  auth: ticket\n  username: "${sim.username}"\n  fingerprint: "${sim.fingerprint}"\nserver:\n  port: 0\npoll:\n  intervalMs: 60000\n`,
    );
    const started = await startJarvis({
      argv: ['--config', 'jarvis.yaml'],
      env: { JARVIS_PVE_PASSWORD: sim.password },
      cwd: work,
      buildWeb: false,
      logger: silentLogger,
      defaultMetrics: false,
    });
    try {
      if (!started.ok) throw new Error(started.error.message);
      expect(started.value.endpoint.auth).toMatchObject({ kind: 'ticket', username: sim.username });
      const result = await started.value.jarvis.poller.tick();
      expect(result.ok).toBe(true);
    } finally {
      if (started.ok) await started.value.close();
      await sim.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('startJarvis failures', () => {
  it('returns CONFIG_INVALID and writes nothing when the config is invalid', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'jarvis-bad-'));
    try {
      const result = await startJarvis({
        argv: ['--port', '99999'],
        env: { JARVIS_DATA_DIR: join(empty, 'data') },
        cwd: empty,
        buildWeb: false,
        logger: silentLogger,
      });
      expect(!result.ok && result.error.code).toBe('CONFIG_INVALID');
      expect(() => statSync(join(empty, 'data'))).toThrow();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reports a port already in use, naming the port and the fix', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    const work = mkdtempSync(join(tmpdir(), 'jarvis-busy-'));
    try {
      const result = await startJarvis({
        argv: ['--port', String(port)],
        env: { JARVIS_DATA_DIR: join(work, 'data') },
        cwd: work,
        simulator: { authDelayMs: 0, metricsIntervalMs: 0 },
        buildWeb: false,
        logger: silentLogger,
        defaultMetrics: false,
      });
      expect(!result.ok && result.error).toMatchObject({
        code: 'INVALID_INPUT',
        message: `port ${port} on 127.0.0.1 is already in use`,
        hint: expect.stringContaining('--port'),
      });
    } finally {
      blocker.close();
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('does not start without its audit log (unwritable paths.auditDb), and closes what it started', async () => {
    const work = mkdtempSync(join(tmpdir(), 'jarvis-noaudit-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(work, 'not-a-dir'), 'x');
    try {
      const result = await startJarvis({
        argv: ['--port', '0'],
        env: { JARVIS_DATA_DIR: join(work, 'data'), JARVIS_AUDIT_DB: join(work, 'not-a-dir', 'audit.db') },
        cwd: work,
        simulator: { authDelayMs: 0, metricsIntervalMs: 0 },
        buildWeb: false,
        logger: silentLogger,
        defaultMetrics: false,
      });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('AUDIT_UNAVAILABLE');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('rejects an unknown option', async () => {
    const result = await startJarvis({ argv: ['--verbose'], env: {}, buildWeb: false, logger: silentLogger });
    expect(!result.ok && result.error).toMatchObject({ code: 'INVALID_INPUT', message: 'unknown option --verbose' });
  });
});

describe('startJarvis after an upgrade', () => {
  it('keeps the AI off when an older version stored the switch in auth.db (moved to the state DB once)', async () => {
    const { SqliteAuthStore } = await import('../../src/adapters/sqlite/auth-store.ts');
    const { openDatabase } = await import('../../src/adapters/sqlite/open-database.ts');
    const { authPaths } = await import('../../src/app/auth/auth-paths.ts');
    const { mkdirSync } = await import('node:fs');
    const work = mkdtempSync(join(tmpdir(), 'jarvis-upgrade-'));
    const dataDir = join(work, 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const authDb = authPaths(dataDir).database;
    SqliteAuthStore.open(authDb).close();
    const legacy = openDatabase(authDb);
    legacy.prepare('INSERT INTO auth_settings (key, value) VALUES (?, ?)').run('dashboard.settings', '{"aiEnabled":false}');
    legacy.close();
    const started = await startJarvis({
      argv: ['--port', '0', '--poll-interval-ms', '60000'],
      env: { JARVIS_DATA_DIR: dataDir, JARVIS_ADMIN_PASSWORD: 'correct horse battery' },
      cwd: work,
      simulator: { seed: 3, authDelayMs: 0, taskDurationMs: 50, metricsIntervalMs: 0 },
      buildWeb: false,
      logger: silentLogger,
      defaultMetrics: false,
    });
    try {
      if (!started.ok) throw new Error(started.error.message);
      const cookie = await login(started.value.url, 'correct horse battery');
      const state = (await (await fetch(`${started.value.url}/api/state`, { headers: { cookie } })).json()) as { settings: { aiEnabled: boolean } };
      expect(state.settings.aiEnabled).toBe(false);
    } finally {
      if (started.ok) await started.value.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
