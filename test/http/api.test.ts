import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../src/core/errors.ts';
import type { RrdSample } from '../../src/core/ports/cluster.ts';
import { MemoryAuditQuery } from '../doubles/memory-services.ts';
import { AuditPageSchema, EventsPageSchema, HistoryDtoSchema } from '../../src/protocol/index.ts';
import { buildTestServer } from './test-server.ts';

const audit = new MemoryAuditQuery(
  Array.from({ length: 7 }, (_, index) => ({
    seq: index + 1,
    time: 1000 * (index + 1),
    actor: index % 2 === 0 ? 'user:admin' : 'model:qwen',
    action: 'guest.stop',
    target: `vm ${100 + index}`,
    verdict: index === 3 ? 'deny' : 'allow',
    reasons: [],
    hash: `h${index}`,
  })),
);

describe('read API', async () => {
  const calls: unknown[] = [];
  const server = await buildTestServer(
    {},
    {
      audit,
      history: {
        rrdData: async (target, timeframe): Promise<Result<RrdSample[], JarvisError>> => {
          calls.push({ target, timeframe });
          return target.kind === 'node' && target.node === 'ghost'
            ? err(jarvisError('PVE_NOT_FOUND', 'no node ghost'))
            : ok<RrdSample[]>([
                { time: 60, values: { cpu: 0.25, memused: 1024 } },
                { time: 120, values: {} },
              ]);
        },
      },
    },
  );
  afterAll(() => server.app.close());
  const cookie = await server.login('viewer');
  const get = (url: string) => server.app.inject({ method: 'GET', url, headers: { cookie } });

  it('GET /api/history maps node and guest queries to rrdData and keeps missing values absent', async () => {
    const node = await get('/api/history?kind=node&node=pve');
    expect(HistoryDtoSchema.parse(node.json())).toEqual({
      timeframe: 'hour',
      samples: [
        { time: 60, values: { cpu: 0.25, memused: 1024 } },
        { time: 120, values: {} },
      ],
    });
    await get('/api/history?kind=guest&node=pve&vmid=101&type=qemu&timeframe=day');
    expect(calls.at(-1)).toEqual({ target: { kind: 'guest', node: 'pve', vmid: 101, type: 'qemu' }, timeframe: 'day' });
    expect((await get('/api/history?kind=guest&node=pve')).statusCode).toBe(404);
    expect((await get('/api/history?kind=node&node=ghost')).statusCode).toBe(404);
    expect((await get('/api/history?kind=guest&node=agent1&vmid=101&type=qemu')).statusCode).toBe(404);
    expect((await get('/api/history?kind=node&node=..%2F..%2Faccess')).statusCode).toBe(400);
    const before = calls.length;
    await get('/api/history?kind=guest&node=pve&vmid=999&type=qemu');
    expect(calls.length).toBe(before); // unknown targets never reach PVE
  });

  it('GET /api/audit pages newest first and filters by actor, verdict, target and time', async () => {
    const first = AuditPageSchema.parse((await get('/api/audit?limit=3')).json());
    expect(first.entries.map((entry) => entry.seq)).toEqual([7, 6, 5]);
    expect(first.nextBefore).toBe(5);
    const second = AuditPageSchema.parse((await get(`/api/audit?limit=3&before=${first.nextBefore}`)).json());
    expect(second.entries.map((entry) => entry.seq)).toEqual([4, 3, 2]);
    expect(AuditPageSchema.parse((await get('/api/audit?verdict=deny')).json()).entries.map((entry) => entry.seq)).toEqual([4]);
    expect(AuditPageSchema.parse((await get('/api/audit?actor=model:qwen')).json()).entries.map((entry) => entry.seq)).toEqual([6, 4, 2]);
    expect(AuditPageSchema.parse((await get('/api/audit?target=vm%20102')).json()).entries.map((entry) => entry.seq)).toEqual([3]);
    expect(AuditPageSchema.parse((await get('/api/audit?from=2000&to=4000')).json()).entries.map((entry) => entry.seq)).toEqual([3, 2]);
    expect((await get('/api/audit?limit=100000')).statusCode).toBe(400);
  });

  it('GET /api/events returns the bounded feed after a given id', async () => {
    for (let index = 0; index < 5; index += 1)
      server.events.append({ at: index, type: 'node-offline', severity: 'critical', source: 'cluster', summary: `n${index}` });
    const page = EventsPageSchema.parse((await get('/api/events?after=2&limit=2')).json());
    expect(page.events.map((event) => event.id)).toEqual([4, 5]);
  });

  it('GET /metrics speaks Prometheus text with the Jarvis series', async () => {
    const response = await get('/metrics');
    expect(response.headers['content-type']).toMatch(/text\/plain/);
    for (const name of [
      'jarvis_poll_duration_seconds',
      'jarvis_pve_errors_total',
      'jarvis_ws_connections',
      'jarvis_ws_messages_sent_total',
      'jarvis_approvals_pending',
    ]) {
      expect(response.body).toContain(`# TYPE ${name}`);
    }
  });

  it('GET /health reports dependencies and never exposes cluster data', async () => {
    const body = (await server.app.inject({ method: 'GET', url: '/health' })).json();
    expect(body).toEqual({ status: 'ok', serverTime: server.clock.now(), dependencies: { pve: { status: 'ok' } } });
  });

  it('unknown API paths answer 404 JSON', async () => {
    const response = await get('/api/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('NOT_FOUND');
  });
});

describe('static dashboard', async () => {
  const webRoot = mkdtempSync(join(tmpdir(), 'jarvis-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Jarvis</title>');
  const server = await buildTestServer({ webRoot });
  afterAll(() => server.app.close());

  it('serves web/dist at / without credentials and falls back to index.html for client routes', async () => {
    const root = await server.app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<title>Jarvis</title>');
    expect((await server.app.inject({ method: 'GET', url: '/audit' })).body).toContain('<title>Jarvis</title>');
    expect((await server.app.inject({ method: 'GET', url: '/api/state' })).statusCode).toBe(401);
  });

  it('answers 404 JSON, not the dashboard, for dot-paths, file-like paths and unknown API paths', async () => {
    for (const url of ['/.well-known/oauth-authorization-server', '/.env', '/robots.txt', '/assets/missing.js', '/api/nope', '/mcp/extra']) {
      const response = await server.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(401);
      expect(response.headers['content-type'], url).toContain('application/json');
      expect(response.body, url).not.toContain('<title>Jarvis</title>');
    }
    const wellKnown = await server.app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource' });
    expect(wellKnown.statusCode).toBe(404);
    expect(wellKnown.json().error.code).toBe('NOT_FOUND');
    expect((await server.app.inject({ method: 'GET', url: '/guest/101' })).body).toContain('<title>Jarvis</title>');
  });
});
