import { afterAll, describe, expect, it } from 'vitest';
import { buildTestServer } from './test-server.ts';

const origin = 'http://localhost:80';

describe('roles', async () => {
  const server = await buildTestServer();
  afterAll(() => server.app.close());
  server.approvals.items.set('t1', {
    id: 't1',
    createdAt: 1,
    expiresAt: 2,
    status: 'pending',
    requestedBy: 'model:qwen',
    action: 'guest.stop',
    target: 'vm 101 (web01) on pve',
    tier: 'red',
    reasons: ['red tier: needs a human'],
    blastRadius: { items: [{ kind: 'guest', id: '101' }] },
    plan: { steps: ['stop vm 101 on pve'] },
  });

  it('a viewer can read approvals but cannot approve or reject them', async () => {
    const cookie = await server.login('viewer');
    const list = await server.app.inject({ method: 'GET', url: '/api/approvals', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json().approvals).toHaveLength(1);
    for (const verb of ['approve', 'reject']) {
      const response = await server.app.inject({ method: 'POST', url: `/api/approvals/t1/${verb}`, headers: { cookie, origin }, payload: {} });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    expect(server.approvals.pendingCount()).toBe(1);
  });

  it('a viewer cannot propose actions, freeze, chat or change settings', async () => {
    const cookie = await server.login('viewer');
    const attempts = [
      { method: 'POST', url: '/api/actions', payload: { kind: 'guest.stop', vmid: 101 } },
      { method: 'POST', url: '/api/freeze', payload: { frozen: true } },
      { method: 'POST', url: '/api/chat', payload: { message: 'hi' } },
      { method: 'PUT', url: '/api/settings', payload: { aiEnabled: false } },
    ] as const;
    for (const attempt of attempts) {
      const response = await server.app.inject({ ...attempt, headers: { cookie, origin } });
      expect(response.statusCode, attempt.url).toBe(403);
    }
    expect(server.actions.calls).toHaveLength(0);
  });

  it('an operator approves; a second approval of the same ticket is refused', async () => {
    const cookie = await server.login('operator');
    const first = await server.app.inject({ method: 'POST', url: '/api/approvals/t1/approve', headers: { cookie, origin } });
    expect(first.statusCode).toBe(200);
    expect(first.json().status).toBe('done');
    expect(server.approvals.approvedBy).toEqual(['user:operator']);
    const second = await server.app.inject({ method: 'POST', url: '/api/approvals/t1/approve', headers: { cookie, origin } });
    expect(second.statusCode).toBe(409);
  });

  it('an operator can freeze but only an admin can lift the emergency stop', async () => {
    const operator = await server.login('operator');
    const admin = await server.login('admin');
    expect((await server.app.inject({ method: 'POST', url: '/api/freeze', headers: { cookie: operator, origin }, payload: { frozen: true } })).statusCode).toBe(
      200,
    );
    const lift = await server.app.inject({ method: 'POST', url: '/api/freeze', headers: { cookie: operator, origin }, payload: { frozen: false } });
    expect(lift.statusCode).toBe(403);
    expect(await server.deps.freeze.get()).toMatchObject({ ok: true, value: { frozen: true } });
    expect((await server.app.inject({ method: 'POST', url: '/api/freeze', headers: { cookie: admin, origin }, payload: { frozen: false } })).statusCode).toBe(
      200,
    );
    expect(await server.deps.freeze.get()).toMatchObject({ ok: true, value: { frozen: false } });
  });

  it('an operator proposes an action through the action service, with identity recorded', async () => {
    const cookie = await server.login('operator');
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/actions',
      headers: { cookie, origin },
      payload: { kind: 'guest.reboot', vmid: 101, expectedName: 'web01' },
    });
    expect(response.statusCode).toBe(200);
    expect(server.actions.calls.at(-1)).toEqual({ request: { kind: 'guest.reboot', vmid: 101, expectedName: 'web01' }, actor: 'user:operator' });
    const bad = await server.app.inject({ method: 'POST', url: '/api/actions', headers: { cookie, origin }, payload: { kind: 'node.reboot', vmid: 101 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_INPUT');
  });

  it('turning the AI off (admin) leaves the chat to offline mode and the rest of the API working', async () => {
    const admin = await server.login('admin');
    expect(
      (await server.app.inject({ method: 'PUT', url: '/api/settings', headers: { cookie: admin, origin }, payload: { aiEnabled: false } })).json(),
    ).toEqual({ aiEnabled: false });
    const chat = await server.app.inject({ method: 'POST', url: '/api/chat', headers: { cookie: admin, origin }, payload: { message: 'status?' } });
    // Issue 11: with the AI off the chat still answers, in offline command mode (no model is used).
    expect(chat.statusCode).toBe(200);
    expect(chat.json()).toMatchObject({ mode: 'offline' });
    expect((await server.app.inject({ method: 'GET', url: '/api/state', headers: { cookie: admin } })).json().settings).toEqual({ aiEnabled: false });
    await server.app.inject({ method: 'PUT', url: '/api/settings', headers: { cookie: admin, origin }, payload: { aiEnabled: true } });
    const back = await server.app.inject({ method: 'POST', url: '/api/chat', headers: { cookie: admin, origin }, payload: { message: 'status?' } });
    expect(back.json()).toMatchObject({ mode: 'offline', reply: expect.stringMatching(/no model configured/i) });
  });
});

describe('login', async () => {
  const server = await buildTestServer();
  afterAll(() => server.app.close());
  const attempt = (password: string, ip = '10.0.0.1', username = 'admin') =>
    server.app.inject({ method: 'POST', url: '/api/login', payload: { username, password }, remoteAddress: ip });

  it('throttles repeated failures per ip + user with 429 and Retry-After, growing exponentially', async () => {
    for (let index = 0; index < 3; index += 1) expect((await attempt('wrong')).statusCode).toBe(401);
    const fourth = await attempt('wrong');
    expect(fourth.statusCode).toBe(429);
    expect(fourth.headers['retry-after']).toBe('1');
    // Even the right password is refused while locked.
    expect((await attempt('admin-pass')).statusCode).toBe(429);
    server.clock.advance(1000);
    const fifth = await attempt('wrong');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.headers['retry-after']).toBe('2');
    server.clock.advance(2000);
    expect((await attempt('wrong')).headers['retry-after']).toBe('4');
    // Another ip, or another user, is not affected.
    expect((await attempt('admin-pass', '10.0.0.2')).statusCode).toBe(200);
    expect((await attempt('wrong', '10.0.0.1', 'viewer')).statusCode).toBe(401);
    server.clock.advance(4000);
    expect((await attempt('admin-pass')).statusCode).toBe(200);
    // Success resets the counter.
    expect((await attempt('wrong')).statusCode).toBe(401);
  });

  it('throttles one IP trying many user names (credential stuffing) after 20 failures', async () => {
    for (let index = 0; index < 20; index += 1) expect((await attempt('x', '10.9.9.9', `user${index}`)).statusCode).toBe(401);
    const next = await attempt('x', '10.9.9.9', 'another');
    expect(next.statusCode).toBe(429);
    expect(Number(next.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await attempt('admin-pass', '10.9.9.10')).statusCode).toBe(200); // other IPs unaffected
  });

  it('answers the same for an unknown user and a wrong password', async () => {
    const unknown = await attempt('x', '10.0.0.9', 'nobody');
    const wrong = await attempt('x', '10.0.0.9', 'viewer');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('rejects malformed login bodies with 400', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: '' } });
    expect(response.statusCode).toBe(400);
  });

  it('logout ends the session server-side', async () => {
    const cookie = await server.login('viewer');
    expect((await server.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(200);
    await server.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie, origin } });
    expect((await server.app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('authentication failures in the operator log', async () => {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const push = (level: string) => (fields: Readonly<Record<string, unknown>>, message: string) => lines.push({ level, message, fields: { ...fields } });
  const server = await buildTestServer({}, { logger: { debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') } });
  afterAll(() => server.app.close());

  it('logs a flood of bad logins and bad tokens rate-limited per address, naming only real users, never the secret', async () => {
    for (let index = 0; index < 30; index += 1) {
      await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'admin', password: `hunter2-${index}` }, remoteAddress: '10.7.0.1' });
      await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'my-secret-password', password: 'x' }, remoteAddress: '10.7.0.2' });
      await server.app.inject({ method: 'GET', url: '/api/state', headers: { authorization: 'Bearer jv_not-a-real-token-value' }, remoteAddress: '10.7.0.3' });
    }
    const auth = lines.filter((line) => line.fields.event === 'auth.failed');
    expect(auth.map((line) => [line.level, line.fields.kind, line.fields.ip, line.fields.user])).toEqual([
      ['warn', 'login', '10.7.0.1', 'admin'],
      ['warn', 'login', '10.7.0.2', undefined],
      ['warn', 'token', '10.7.0.3', undefined],
    ]);
    const text = JSON.stringify(lines);
    for (const secret of ['hunter2', 'my-secret-password', 'jv_not-a-real-token-value']) expect(text).not.toContain(secret);
  });
});
