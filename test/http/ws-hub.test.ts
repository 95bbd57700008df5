import { afterEach, describe, expect, it } from 'vitest';
import { ServerFrameSchema, WS_CLOSE } from '../../src/protocol/index.ts';
import { buildTestServer, type TestServer } from './test-server.ts';
import { connect, until } from './ws-client.ts';
import type { WsHubOptions } from '../../src/app/ws/ws-hub.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

async function start(hub: Partial<WsHubOptions> = {}) {
  const server = await buildTestServer({ hub });
  servers.push(server);
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const origin = address;
  const wsUrl = `${address.replace('http', 'ws')}/ws`;
  const cookie = await server.login('viewer');
  return { server, origin, wsUrl, cookie, hub: server.hub! };
}

describe('websocket hub: access', () => {
  it('refuses an anonymous upgrade with 401', async () => {
    const { wsUrl, origin } = await start();
    await expect(connect(wsUrl, { origin })).rejects.toThrow('HTTP 401');
  });

  it('refuses a foreign Origin with 403 even with a valid session', async () => {
    const { wsUrl, cookie } = await start();
    await expect(connect(wsUrl, { origin: 'https://evil.example', cookie })).rejects.toThrow('HTTP 403');
  });

  it('refuses a cookie upgrade that carries no Origin', async () => {
    const { wsUrl, cookie } = await start();
    await expect(connect(wsUrl, { cookie })).rejects.toThrow('HTTP 403');
  });

  it('refuses an expired session with 401', async () => {
    const { wsUrl, cookie, origin, server } = await start();
    server.clock.advance(60 * 60_000 + 1);
    await expect(connect(wsUrl, { origin, cookie })).rejects.toThrow('HTTP 401');
  });

  it('accepts a bearer token without Origin (CLI/MCP clients)', async () => {
    const { wsUrl, server, hub } = await start();
    const { token } = server.deps.auth.createToken('viewer', 'cli');
    const client = await connect(wsUrl, { authorization: `Bearer ${token}` });
    await until(() => client.frames.length === 1, 'snapshot');
    expect(hub.size).toBe(1);
    client.socket.close();
  });

  it('refuses the 21st client with 1013 and a reason, and counts connections in /metrics', async () => {
    const { wsUrl, cookie, origin, hub, server } = await start();
    const clients = [];
    for (let index = 0; index < 20; index += 1) clients.push(await connect(wsUrl, { origin, cookie }));
    await until(() => hub.size === 20, '20 clients');
    const refused = await connect(wsUrl, { origin, cookie });
    const closed = await refused.close;
    expect(closed.code).toBe(WS_CLOSE.tryAgainLater);
    expect(closed.reason).toMatch(/too many clients \(max 20\)/);
    expect(hub.size).toBe(20);
    const metrics = await server.app.inject({ method: 'GET', url: '/metrics', headers: { cookie } });
    expect(metrics.body).toMatch(/jarvis_ws_connections 20/);
    expect(metrics.body).toMatch(/jarvis_ws_refused_total\{reason="too-many-clients"\} 1/);
    for (const client of clients) client.socket.close();
    await until(() => hub.size === 0, 'all released');
    expect(hub.timerCount).toBe(0);
  });

  it('closes a connection with 4401 when its session is logged out', async () => {
    const { wsUrl, cookie, origin, hub, server } = await start({ pingIntervalMs: 60_000 });
    const client = await connect(wsUrl, { origin, cookie });
    await until(() => hub.size === 1, 'attached');
    await server.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie, origin: 'http://localhost:80' } });
    hub.pingAll();
    expect((await client.close).code).toBe(WS_CLOSE.unauthorized);
    expect(hub.size).toBe(0);
  });
});

describe('websocket hub: frames', () => {
  it('sends the snapshot first, then every frame with seq + 1 and the server ts', async () => {
    const { wsUrl, cookie, origin, hub, server } = await start();
    const client = await connect(wsUrl, { origin, cookie });
    await until(() => client.frames.length === 1, 'snapshot');
    const first = ServerFrameSchema.parse(client.frames[0]);
    expect(first.type).toBe('snapshot');
    expect(first.seq).toBe(0);
    expect(first.ts).toBe(server.clock.now());
    if (first.type === 'snapshot') expect(first.payload.snapshot?.nodes).toHaveLength(4);
    for (let index = 0; index < 3; index += 1) {
      server.clock.advance(1000);
      hub.publish({ type: 'freeze-change', payload: { frozen: index % 2 === 0 } });
      hub.flush();
    }
    await until(() => client.frames.length === 4, 'three more frames');
    const frames = client.frames.map((frame) => ServerFrameSchema.parse(frame));
    expect(frames.map((frame) => frame.seq)).toEqual([0, 1, 2, 3]);
    expect(frames.slice(1).map((frame) => frame.ts)).toEqual([1, 2, 3].map((step) => 1_700_000_000_000 + step * 1000));
    const state = await server.app.inject({ method: 'GET', url: '/api/state', headers: { cookie } });
    expect(state.json().seq).toBe(3);
    client.socket.close();
  });

  it('pushes a freeze-change to clients when the emergency stop is engaged over HTTP', async () => {
    const { wsUrl, cookie, origin, server } = await start({ batchIntervalMs: 10 });
    const client = await connect(wsUrl, { origin, cookie });
    await until(() => client.frames.length === 1, 'snapshot');
    const operator = await server.login('operator');
    await server.app.inject({
      method: 'POST',
      url: '/api/freeze',
      headers: { cookie: operator, origin: 'http://localhost:80' },
      payload: { frozen: true, reason: 'drill' },
    });
    await until(() => client.frames.length === 2, 'freeze frame');
    expect(client.frames[1]).toMatchObject({ type: 'freeze-change', seq: 1, payload: { frozen: true, by: 'user:operator', reason: 'drill' } });
    client.socket.close();
  });

  it('batches messages published within one interval into a single frame', async () => {
    const { wsUrl, cookie, origin, hub } = await start({ batchIntervalMs: 50 });
    const client = await connect(wsUrl, { origin, cookie });
    await until(() => client.frames.length === 1, 'snapshot');
    hub.publish({ type: 'heartbeat', payload: {} });
    hub.publish({ type: 'settings-change', payload: { aiEnabled: false } });
    hub.publish({ type: 'freeze-change', payload: { frozen: true } });
    await until(() => client.frames.length === 2, 'one batch frame');
    const frame = ServerFrameSchema.parse(client.frames[1]);
    expect(frame.type).toBe('batch');
    expect(frame.seq).toBe(1);
    if (frame.type === 'batch') expect(frame.payload.messages.map((message) => message.type)).toEqual(['heartbeat', 'settings-change', 'freeze-change']);
    client.socket.close();
  });
});

describe('websocket hub: liveness and release', () => {
  it('sends a heartbeat frame when nothing else was sent for heartbeatIdleMs', async () => {
    const { wsUrl, cookie, origin } = await start({ heartbeatIdleMs: 30, batchIntervalMs: 5 });
    const client = await connect(wsUrl, { origin, cookie });
    await until(() => client.frames.length >= 3, 'two heartbeats');
    const frames = client.frames.slice(1).map((frame) => ServerFrameSchema.parse(frame));
    expect(frames.every((frame) => frame.type === 'heartbeat')).toBe(true);
    expect(frames.map((frame) => frame.seq)).toEqual(frames.map((_, index) => index + 1));
    client.socket.close();
  });

  it('terminates a client that does not answer pings and releases its timers', async () => {
    const { wsUrl, cookie, origin, hub } = await start({ pingIntervalMs: 40, pongTimeoutMs: 40 });
    const silent = await connect(wsUrl, { origin, cookie }, { autoPong: false });
    const healthy = await connect(wsUrl, { origin, cookie });
    await until(() => hub.size === 2, 'two clients');
    const closed = await silent.close;
    expect(closed.code).toBe(1006); // terminated: no close frame
    await new Promise((resolve) => setTimeout(resolve, 200)); // several more ping rounds
    expect(hub.size).toBe(1); // the one that answers stays
    healthy.socket.close();
    await until(() => hub.size === 0, 'release');
    expect(hub.timerCount).toBe(0);
  });

  it('releases everything after clean closes, abrupt socket destruction and server close', async () => {
    const { wsUrl, cookie, origin, hub, server } = await start();
    const clean = await connect(wsUrl, { origin, cookie });
    const abrupt = await connect(wsUrl, { origin, cookie });
    const remaining = await connect(wsUrl, { origin, cookie });
    await until(() => hub.size === 3, 'three clients');
    clean.socket.close(1000);
    (abrupt.socket as unknown as { _socket: { destroy(): void } })._socket.destroy();
    await until(() => hub.size === 1, 'two released');
    hub.publish({ type: 'heartbeat', payload: {} });
    expect(hub.timerCount).toBeGreaterThan(0);
    await server.app.close();
    servers.splice(servers.indexOf(server), 1);
    expect((await remaining.close).code).toBe(WS_CLOSE.goingAway);
    expect(hub.size).toBe(0);
    expect(hub.timerCount).toBe(0);
  });
});
