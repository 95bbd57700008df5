/**
 * /api/alerts in the real composition (`jarvis start` on the embedded simulator, SQLite alert
 * store): the existing auth guards it, a node taken offline becomes one alert with a timeline,
 * ack/snooze/resolve work and bad input gets a structured 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDetailSchema, AlertListSchema } from '../../src/protocol/index.ts';
import { startTestJarvis, type TestJarvis } from '../helpers/start-test-jarvis.ts';

describe('/api/alerts', () => {
  let harness: TestJarvis;
  let cookie = '';
  let url = '';
  beforeAll(async () => {
    harness = await startTestJarvis({ prefix: 'jarvis-alerts-' });
    url = harness.running.url;
    const login = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ username: 'admin', password: harness.running.admin.generatedPassword }),
    });
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  });
  afterAll(async () => harness?.close());

  const get = (path: string) => fetch(`${url}${path}`, { headers: { cookie } });
  const post = (path: string, body: unknown = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { cookie, origin: url, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('needs a login', async () => {
    expect((await fetch(`${url}/api/alerts`)).status).toBe(401);
  });

  it('a node going offline becomes one alert; ack, snooze and resolve; bad input is a 400', async () => {
    const monitor = harness.running.jarvis.monitor!;
    await monitor.evaluate(await harness.running.jarvis.poller.tick());
    // Before the fault: no node alert (the simulator's 9-day-old backup of VM 104 is backup-overdue, see monitor-backup-catalog.test.ts).
    expect(AlertListSchema.parse(await (await get('/api/alerts')).json()).alerts.map((alert) => alert.rule)).toEqual(['backup-overdue']);
    expect((await fetch(`${harness.running.simulator!.adminUrl}/nodes/agent/offline`, { method: 'POST' })).ok).toBe(true);
    await monitor.evaluate(await harness.running.jarvis.poller.tick());
    await monitor.evaluate(await harness.running.jarvis.poller.tick());
    const alerts = AlertListSchema.parse(await (await get('/api/alerts')).json()).alerts;
    const offline = alerts.filter((alert) => alert.rule === 'node-offline');
    expect(offline.map((alert) => [alert.target, alert.severity, alert.state])).toEqual([['node:agent', 'critical', 'open']]);
    const id = offline[0]!.id;
    const detail = AlertDetailSchema.parse(await (await get(`/api/alerts/${id}`)).json());
    expect(detail.timeline[0]?.kind).toBe('opened');

    const acked = await post(`/api/alerts/${id}/ack`);
    expect(acked.status).toBe(200);
    expect(((await acked.json()) as { alert: { state: string; acknowledgedBy: string } }).alert).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'user:admin',
    });
    const bad = await post(`/api/alerts/${id}/snooze`, { minutes: -5 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
    expect((await post(`/api/alerts/${id}/snooze`, { minutes: 30 })).status).toBe(200);
    expect((await post(`/api/alerts/${id}/resolve`)).status).toBe(200);
    expect((await post(`/api/alerts/${id}/resolve`)).status).toBe(404);
    const history = AlertListSchema.parse(await (await get('/api/alerts?status=resolved')).json()).alerts;
    expect(history.find((alert) => alert.id === id)?.resolvedBy).toBe('user:admin');
    expect(AlertDetailSchema.parse(await (await get(`/api/alerts/${id}`)).json()).timeline.map((entry) => entry.kind)).toEqual(
      expect.arrayContaining(['opened', 'acknowledged', 'snoozed', 'resolved']),
    );
    expect((await get('/api/alerts?status=bogus')).status).toBe(400);
  });
});
