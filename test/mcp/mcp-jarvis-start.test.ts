/**
 * The product path end to end: `startJarvis` on the embedded simulator (what `npm start` runs), a
 * token created the way `jarvis token create` does, Claude Desktop's transport (`node bin/jarvis.js
 * mcp` over stdio, forwarding to the server's /mcp), and a human's approval through the server's
 * guarded executor (the same call the dashboard's approval route makes).
 */
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteAuthStore } from '../../src/adapters/sqlite/auth-store.ts';
import { AuthService } from '../../src/app/auth/auth-service.ts';
import { ALL_TOOLS } from '../../src/app/tools/index.ts';
import type { RunningJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { SIM_CALLS } from './sim-calls.ts';
import { startTestJarvis, type TestJarvis } from '../helpers/start-test-jarvis.ts';

const root = resolve(import.meta.dirname, '../..');
let dir: string;
let running: RunningJarvis;
let harness: TestJarvis;
let token: string;
let client: Client;

beforeAll(async () => {
  harness = await startTestJarvis({ seed: 1, pollIntervalMs: 60000, prefix: 'jarvis-mcp-' });
  running = harness.running;
  dir = harness.dir;
  const store = SqliteAuthStore.open(join(dir, 'data', 'auth.db'));
  token = new AuthService(store, { now: () => Date.now() }).createToken('operator', 'claude-desktop').token;
  store.close();
  client = new Client({ name: 'claude-desktop-like', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [resolve(root, 'bin/jarvis.js'), 'mcp'],
      cwd: root,
      env: { PATH: process.env.PATH ?? '', JARVIS_URL: running.url, JARVIS_TOKEN: token },
      stderr: 'ignore',
    }),
  );
});
afterAll(async () => {
  await client?.close();
  await harness?.close();
});

const approve = (ticketId: string) => running.jarvis.executor.approve(ticketId, { id: 'owner', role: 'admin' });

describe('jarvis start + jarvis mcp (stdio) on the embedded simulator', () => {
  it('lists the eight tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS.map((tool) => tool.name).sort());
  });

  it.each(ALL_TOOLS.map((tool) => tool.name))('calls %s', async (name) => {
    const result = await client.callTool({ name, arguments: SIM_CALLS[name] });
    expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  });

  it('audits read tool calls too: a diagnostic run on a node leaves a read row with its parameters and result', async () => {
    const called = await client.callTool({ name: 'run_diagnostic', arguments: { node: 'pve', command: 'disk_usage' } });
    expect(called.isError ?? false).toBe(false);
    let rows: Array<{ tool?: string; verdict: string; params?: Record<string, unknown>; result?: string; target?: string }> = [];
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const response = await fetch(`${running.url}/api/audit?limit=200`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      rows = ((await response.json()) as { entries: typeof rows }).entries;
      if (rows.some((row) => row.tool === 'run_diagnostic')) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(rows.find((row) => row.tool === 'run_diagnostic')).toMatchObject({
      verdict: 'read',
      params: { node: 'pve', command: 'disk_usage' },
      result: 'ok',
      target: 'node pve',
    });
  });

  it('denies stopping VM 103; a ticket for VM 102 is approved once and runs the stored stop; a second approval is refused', async () => {
    const denied = await client.callTool({ name: 'manage_vm', arguments: { vmid: 103, action: 'stop' } });
    expect(denied.structuredContent).toMatchObject({ status: 'denied' });
    const pending = await client.callTool({ name: 'manage_vm', arguments: { vmid: 102, action: 'stop' } });
    const { status, ticketId } = pending.structuredContent as { status: string; ticketId: string };
    expect(status).toBe('needs-confirmation');
    expect(running.simulator!.world.guest(102)?.status).toBe('running');
    const first = await approve(ticketId);
    expect(first.status, JSON.stringify(first)).toBe('done');
    expect(running.simulator!.world.guest(102)?.status).toBe('stopped');
    const second = await approve(ticketId);
    expect(second.status).not.toBe('done');
  });

  it('GET /health reports PVE, SSH, Docker and the tools, without auth', async () => {
    let body: { dependencies: Record<string, { status: string; message?: string }> } = { dependencies: {} };
    for (let attempt = 0; attempt < 100; attempt += 1) {
      body = (await (await fetch(`${running.url}/health`)).json()) as typeof body;
      if (body.dependencies.ssh?.status !== 'unknown' && body.dependencies.docker?.status !== 'unknown') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(body.dependencies.pve?.status).toBe('ok');
    expect(body.dependencies.ssh).toEqual({ status: 'ok' });
    expect(body.dependencies.docker).toEqual({ status: 'ok' });
    expect(body.dependencies.tools).toEqual({ status: 'ok', message: '8 tools available' });
  });
});
