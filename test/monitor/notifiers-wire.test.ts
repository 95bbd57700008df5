/**
 * Notification adapters over the wire on 127.0.0.1: ntfy and Gotify against faithful fakes of
 * their HTTP publish APIs, the webhook against a receiver that verifies the HMAC signature, email
 * against a real SMTP server (smtp-server) in-process. A failing channel is retried, reported and
 * never throws.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { emailNotifier } from '../../src/adapters/notify/email-notifier.ts';
import { gotifyNotifier } from '../../src/adapters/notify/gotify-notifier.ts';
import { ntfyNotifier } from '../../src/adapters/notify/ntfy-notifier.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook, webhookNotifier } from '../../src/adapters/notify/webhook-notifier.ts';
import { createNotifyDispatcher } from '../../src/app/monitor/notify-dispatcher.ts';
import type { Notification } from '../../src/core/ports/notifier.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';

const ALERT: Notification = {
  kind: 'alert',
  severity: 'critical',
  title: 'node agent is offline — ünïcode',
  body: 'node agent is offline\nRule node-offline.',
  url: 'http://127.0.0.1:8080/#alert-a1',
  tags: ['node-offline'],
  alertId: 'a1',
};

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function fakeServer(handle: (request: Received, response: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      received.push(entry);
      handle(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

describe('ntfy (JSON publish API)', () => {
  it('publishes topic, title, message, priority, tags and click with the bearer token', async () => {
    // Fake: POST / with a JSON body; 401 without the right token; 400 without a topic (as ntfy answers).
    const fake = await fakeServer((request, response) => {
      if (request.method !== 'POST' || request.url !== '/') return json(response, 404, { code: 40401, http: 404, error: 'page not found' });
      if (request.headers.authorization !== 'Bearer tk_test') return json(response, 401, { code: 40101, http: 401, error: 'unauthorized' });
      const body = JSON.parse(request.body) as { topic?: string };
      if (!body.topic) return json(response, 400, { code: 40009, http: 400, error: 'invalid request: topic invalid' });
      json(response, 200, { id: 'x1', time: 1, event: 'message', ...body });
    });
    const ok = await ntfyNotifier({ channel: 'ntfy', url: fake.url, topic: 'jarvis-alerts', token: 'tk_test' }).send(ALERT);
    expect(ok.ok).toBe(true);
    expect(JSON.parse(fake.received[0]!.body)).toEqual({
      topic: 'jarvis-alerts',
      title: ALERT.title,
      message: ALERT.body,
      priority: 5,
      tags: ['rotating_light', 'node-offline'],
      click: ALERT.url,
    });
    const denied = await ntfyNotifier({ channel: 'ntfy', url: fake.url, topic: 'jarvis-alerts', token: 'wrong' }).send(ALERT);
    expect(denied.ok).toBe(false);
    if (!denied.ok) expect(denied.error).toMatchObject({ code: 'NOTIFY_FAILED', retryable: false });
    if (!denied.ok) expect(denied.error.message).not.toContain('wrong');
  });
});

describe('Gotify (message API)', () => {
  it('POSTs /message with X-Gotify-Key, priority and the click extra', async () => {
    const fake = await fakeServer((request, response) => {
      if (request.url !== '/message' || request.method !== 'POST') return json(response, 404, { error: 'Not Found', errorCode: 404 });
      if (request.headers['x-gotify-key'] !== 'Aapp.token')
        return json(response, 401, { error: 'Unauthorized', errorCode: 401, errorDescription: 'you need to provide a valid access token' });
      const body = JSON.parse(request.body) as { message?: string };
      if (!body.message) return json(response, 400, { error: 'Bad Request', errorCode: 400 });
      json(response, 200, { id: 7, appid: 1, date: '2026-12-04T12:00:00Z', ...body });
    });
    const result = await gotifyNotifier({ channel: 'gotify', url: `${fake.url}/`, appToken: 'Aapp.token' }).send(ALERT);
    expect(result.ok).toBe(true);
    const body = JSON.parse(fake.received[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ title: ALERT.title, message: ALERT.body, priority: 8, extras: { 'client::notification': { click: { url: ALERT.url } } } });
    const bad = await gotifyNotifier({ channel: 'gotify', url: fake.url, appToken: 'nope' }).send(ALERT);
    expect(bad.ok ? 'sent' : bad.error.retryable).toBe(false);
  });
});

describe('webhook (HMAC-SHA256)', () => {
  it('the receiver verifies the signature over timestamp.body; a tampered body fails', async () => {
    const verdicts: boolean[] = [];
    const fake = await fakeServer((request, response) => {
      const signature = String(request.headers[SIGNATURE_HEADER] ?? '');
      const timestamp = String(request.headers[TIMESTAMP_HEADER] ?? '');
      const valid = verifyWebhook('s3cret', timestamp, request.body, signature);
      verdicts.push(valid, verifyWebhook('s3cret', timestamp, request.body.replace('offline', 'online'), signature));
      response.writeHead(valid ? 204 : 401).end();
    });
    const result = await webhookNotifier({ channel: 'hook', url: `${fake.url}/hook`, secret: 's3cret', now: () => 1_800_000_000_000 }).send(ALERT);
    expect(result.ok).toBe(true);
    expect(verdicts).toEqual([true, false]);
    expect(fake.received[0]!.headers[TIMESTAMP_HEADER]).toBe('1800000000');
    expect(JSON.parse(fake.received[0]!.body)).toMatchObject({ source: 'jarvis', kind: 'alert', title: ALERT.title, alertId: 'a1' });
  });

  it('5xx is retried with backoff, then reported; the dispatcher never throws', async () => {
    let calls = 0;
    const fake = await fakeServer((_request, response) => {
      calls += 1;
      response.writeHead(calls < 3 ? 503 : 200).end();
    });
    const sleeps: number[] = [];
    const dispatcher = createNotifyDispatcher(
      [webhookNotifier({ channel: 'hook', url: fake.url }), webhookNotifier({ channel: 'dead', url: 'http://127.0.0.1:9/' })],
      { retries: 3, backoffMs: 100, sleep: async (ms) => void sleeps.push(ms), now: () => 0, logger: silentLogger },
    );
    const outcomes = await dispatcher.dispatch([
      { channel: 'hook', notification: ALERT },
      { channel: 'dead', notification: ALERT },
    ]);
    expect(outcomes.map((o) => [o.delivery.channel, o.ok, o.attempts])).toEqual([
      ['hook', true, 3],
      ['dead', false, 4],
    ]);
    expect(sleeps.slice(0, 2)).toEqual([100, 200]);
    const status = dispatcher.status();
    expect(status.find((s) => s.channel === 'dead')).toMatchObject({ sent: 0, failed: 1, retries: 3 });
    expect(status.find((s) => s.channel === 'dead')?.lastError?.message).toContain('could not connect');
    expect(status.find((s) => s.channel === 'hook')).toMatchObject({ sent: 1, failed: 0, retries: 2 });
  });
});

describe('email (SMTP via nodemailer against smtp-server)', () => {
  it('delivers subject, body and link; a rejecting server gives a non-retryable error', async () => {
    const mails: { from: string; to: string[]; data: string }[] = [];
    const server = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth(auth, _session, callback) {
        if (auth.username === 'jarvis' && auth.password === 'pw') return callback(null, { user: 'jarvis' });
        callback(new Error('Invalid username or password'));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@blocked.test')) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        callback();
      },
      onData(stream, session, callback) {
        let data = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (data += chunk));
        stream.on('end', () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
      logger: false,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.server.address() as AddressInfo).port;
    const base = { channel: 'mail', host: '127.0.0.1', port, secure: false, from: 'jarvis@lab.test', user: 'jarvis', password: 'pw', timeoutMs: 5_000 };
    const result = await emailNotifier({ ...base, to: ['ops@lab.test'] }).send(ALERT);
    expect(result.ok).toBe(true);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['ops@lab.test']);
    expect(mails[0]!.data).toContain('Subject: =?UTF-8?');
    expect(mails[0]!.data).toContain('http://127.0.0.1:8080/#alert-a1');
    const rejected = await emailNotifier({ ...base, to: ['x@blocked.test'] }).send(ALERT);
    expect(rejected.ok ? 'sent' : [rejected.error.code, rejected.error.retryable]).toEqual(['NOTIFY_FAILED', false]);
  });
});
