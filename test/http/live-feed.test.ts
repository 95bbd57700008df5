import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { registeredRoutes } from '../../src/app/http/build-http-server.ts';
import { ServerFrameSchema, unpackFrame, type ServerMessage } from '../../src/protocol/index.ts';
import { connect, until } from './ws-client.ts';
import { startTestJarvis, type TestJarvis } from '../helpers/start-test-jarvis.ts';

let running: RunningJarvis;
let harness: TestJarvis;

/** The real composition (`jarvis start` in-process) on the embedded simulator; the test drives the poller. */
describe('live feed through the real server and simulator', () => {
  beforeAll(async () => {
    harness = await startTestJarvis({ seed: 3, pollIntervalMs: 600000, prefix: 'jarvis-live-' });
    running = harness.running;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('a node taken offline in the simulator reaches a WebSocket client as a delta and a critical event, in seq order', async () => {
    const url = running.url;
    const login = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ username: 'admin', password: running.admin.generatedPassword }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    await running.jarvis.poller.tick();
    const client = await connect(`${url.replace('http', 'ws')}/ws`, { origin: url, cookie });
    await until(() => client.frames.length >= 1, 'snapshot');
    const snapshot = ServerFrameSchema.parse(client.frames[0]);
    expect(snapshot.type).toBe('snapshot');
    if (snapshot.type === 'snapshot') expect(snapshot.payload.snapshot?.nodes.find((node) => node.name === 'agent')?.status).toBe('online');
    // /metrics in the real composition: the poller, the hub and the approvals feed it.
    const metrics = await (await fetch(`${url}/metrics`, { headers: { cookie } })).text();
    expect(metrics).toMatch(/^jarvis_poll_duration_seconds_count\{outcome="ok"\} [1-9]/m);
    expect(metrics).toMatch(/^jarvis_ws_connections 1$/m);
    expect(metrics).toMatch(/^jarvis_ws_messages_sent_total\{type="snapshot"\} 1$/m);
    expect(metrics).toMatch(/^jarvis_approvals_pending 0$/m);

    const admin = await fetch(`${running.simulator!.adminUrl}/nodes/agent/offline`, { method: 'POST' });
    expect(admin.ok).toBe(true);
    await running.jarvis.poller.tick();
    const received = (): ServerMessage[] => client.frames.slice(1).flatMap((frame) => unpackFrame(ServerFrameSchema.parse(frame)));
    await until(() => received().some((message) => message.type === 'event'), 'node-offline event');
    const frames = client.frames.map((frame) => ServerFrameSchema.parse(frame));
    expect(frames.slice(1).map((frame) => frame.seq)).toEqual(frames.slice(1).map((_, index) => snapshot.seq + index + 1));
    const upserted = received().flatMap((message) => (message.type === 'delta' ? message.payload.upsert.nodes : []));
    expect(upserted.filter((node) => node.name === 'agent').at(-1)?.status).toBe('offline');
    expect(received().find((message) => message.type === 'event')).toMatchObject({ payload: { type: 'node-offline', node: 'agent', severity: 'critical' } });

    const state = await (await fetch(`${url}/api/state`, { headers: { cookie } })).json();
    expect(state.seq).toBe(frames.at(-1)!.seq);
    expect(state.snapshot.nodes.find((node: { name: string }) => node.name === 'agent').status).toBe('offline');
    client.socket.close();
    await fetch(`${running.simulator!.adminUrl}/nodes/agent/online`, { method: 'POST' });
  });

  it('in the real composition (MCP included) every route but /health and login refuses anonymous and foreign-Origin calls', async () => {
    const app = running.jarvis.http;
    const routes = registeredRoutes(app).filter((route) => route.method !== 'OPTIONS');
    const names = routes.map((route) => `${route.method} ${route.url}`);
    expect(names).toContain('POST /mcp');
    expect(names).toContain('GET /ws');
    const open = new Set(['GET /health', 'HEAD /health', 'POST /api/login', 'GET /*', 'HEAD /*', 'GET /', 'HEAD /']);
    for (const route of routes) {
      const name = `${route.method} ${route.url}`;
      const url = route.url.replace(/:(\w+)/g, 'x1');
      const foreign = await app.inject({ method: route.method as 'GET', url, headers: { origin: 'https://evil.example' } });
      expect(foreign.statusCode, name).toBe(403);
      if (open.has(name)) continue;
      const anonymous = await app.inject({ method: route.method as 'GET', url, payload: route.method === 'GET' || route.method === 'HEAD' ? undefined : {} });
      expect(anonymous.statusCode, name).toBe(401);
    }
  });
});
