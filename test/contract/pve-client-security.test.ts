import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../src/adapters/pve/__fixtures__/fixture-server.ts';
import { must, mustFail } from '../../src/adapters/pve/__fixtures__/pve-contract.ts';
import { probeFingerprint } from '../../src/adapters/pve/probe-fingerprint.ts';
import { PveClusterApi } from '../../src/adapters/pve/pve-cluster-api.ts';
import { createPveClient, PveHttpClient, type PveClientOptions, type PveRequestEvent } from '../../src/adapters/pve/pve-http-client.ts';
import { createSelfSignedCert } from '../../src/sim/tls/self-signed-cert.ts';

/** Fixture-server-only checks: they need to see what the server received. */
describe('PVE client: credentials, pinning and sessions (fixture server)', () => {
  const cert = createSelfSignedCert();
  const impostor = createSelfSignedCert();
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(cert);
  });
  afterAll(async () => server.close());

  const make = (overrides: Partial<PveClientOptions> = {}) => {
    const events: PveRequestEvent[] = [];
    const client = new PveHttpClient({
      baseUrl: server.url,
      auth: { kind: 'token', tokenId: server.tokenId, tokenSecret: server.tokenSecret },
      fingerprint: cert.fingerprint,
      onRequest: (event) => events.push(event),
      ...overrides,
    });
    return { api: new PveClusterApi(client), client, events };
  };

  it('with a wrong pin, refuses before sending anything: the server never sees a token', async () => {
    const before = server.requests.length;
    const { api } = make({ fingerprint: impostor.fingerprint });
    expect(mustFail(await api.version()).code).toBe('TLS_FINGERPRINT_MISMATCH');
    expect(mustFail(await api.doPowerAction('agent1', 'qemu', 103, 'stop')).code).toBe('TLS_FINGERPRINT_MISMATCH');
    expect(server.requests.length).toBe(before);
  });

  it('with a wrong pin, never posts the password to /access/ticket', async () => {
    const before = server.requests.length;
    const { api } = make({ fingerprint: impostor.fingerprint, auth: { kind: 'ticket', username: server.username, password: server.password } });
    expect(mustFail(await api.version()).code).toBe('TLS_FINGERPRINT_MISMATCH');
    expect(server.requests.slice(before)).toEqual([]);
  });

  it('without pin or insecure, an untrusted certificate gets no request either', async () => {
    const before = server.requests.length;
    expect(mustFail(await make({ fingerprint: undefined }).api.version()).code).toBe('TLS_FINGERPRINT_MISMATCH');
    expect(server.requests.length).toBe(before);
  });

  it('sends the token as one PVEAPIToken header, with no cookie and no CSRF', async () => {
    const before = server.requests.length;
    must(await make().api.doServiceAction('agent1', 'sshd', 'restart'));
    const [request] = server.requests.slice(before);
    expect(request).toMatchObject({ method: 'POST', authorization: `PVEAPIToken=${server.tokenId}=${server.tokenSecret}`, cookie: undefined, csrf: undefined });
  });

  it('sends the ticket as a URL-encoded cookie, and CSRF only on writes', async () => {
    const before = server.requests.length;
    const { api } = make({ auth: { kind: 'ticket', username: server.username, password: server.password } });
    must(await api.version());
    must(await api.doServiceAction('agent1', 'sshd', 'restart'));
    const [login, read, write] = server.requests.slice(before);
    expect(login).toMatchObject({ method: 'POST', path: '/access/ticket', authorization: undefined, cookie: undefined });
    expect(read!.cookie).toMatch(/^PVEAuthCookie=PVE%3A/);
    expect(read!.cookie).toContain('%2B%2F%3D');
    expect(read!.csrf).toBeUndefined();
    expect(write!.csrf).toMatch(/^[0-9A-F]{8}:/);
  });

  it('renews the ticket after an hour by posting the ticket as the password', async () => {
    let now = 1_000_000;
    const { api, events } = make({ auth: { kind: 'ticket', username: server.username, password: server.password }, now: () => now });
    must(await api.version());
    now += 30 * 60 * 1000;
    must(await api.version());
    expect(events.filter((e) => e.purpose !== undefined).map((e) => e.purpose)).toEqual(['login']);
    const before = server.requests.length;
    now += 31 * 60 * 1000;
    must(await api.version());
    expect(events.filter((e) => e.purpose !== undefined).map((e) => e.purpose)).toEqual(['login', 'renew']);
    const renewal = server.requests.slice(before).find((r) => r.path === '/access/ticket')!;
    const password = new URLSearchParams(renewal.body).get('password');
    expect(password).toMatch(/^PVE:jarvis@pve:/);
  });

  it('keeps the still-valid ticket while renewal fails transiently, and gives up only near expiry', async () => {
    let now = 0;
    const { api, events } = make({ auth: { kind: 'ticket', username: server.username, password: server.password }, now: () => now });
    must(await api.version());
    server.fault({ kind: 'http-error', path: '/access/ticket', status: 503, message: 'Service Unavailable' });
    try {
      now += 61 * 60 * 1000;
      must(await api.version());
      expect(events.map((e) => e.purpose ?? e.path)).toEqual(['login', '/version', 'renew', '/version']);
      now += 60 * 60 * 1000;
      expect(mustFail(await api.version()).code).toBe('PVE_ERROR');
    } finally {
      server.clearFaults();
    }
    must(await api.version());
  });

  it('logs in again once when PVE rejects an expired ticket, then succeeds', async () => {
    const { api, events } = make({ auth: { kind: 'ticket', username: server.username, password: server.password } });
    must(await api.version());
    server.expireTickets();
    must(await api.version());
    expect(events.map((e) => e.purpose ?? `${e.status}`)).toEqual(['login', '200', '401', 'login', '200']);
  });

  it('does not retry a refused login: one login request, PVE_AUTH', async () => {
    const wrong = make({ auth: { kind: 'ticket', username: server.username, password: 'nope' } });
    expect(mustFail(await wrong.api.version()).code).toBe('PVE_AUTH');
    expect(wrong.events.map((e) => e.purpose ?? `${e.status}`)).toEqual(['login']);
  });

  it('PVE_UNREACHABLE when nothing listens on the port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = mustFail(await make({ baseUrl: `https://127.0.0.1:${port}` }).api.version());
    expect(error.code).toBe('PVE_UNREACHABLE');
    expect(error.retryable).toBe(true);
  });

  it('a caller abort ends the call with a cancelled PVE_TIMEOUT', async () => {
    server.fault({ kind: 'hang', path: '/version' });
    try {
      const controller = new AbortController();
      const pending = make().api.version({ signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      const error = mustFail(await pending);
      expect(error.code).toBe('PVE_TIMEOUT');
      expect(error.details?.cancelled).toBe(true);
    } finally {
      server.clearFaults();
    }
  });

  it('probeFingerprint reads the certificate fingerprint without sending a request', async () => {
    // A server of its own: a request of an earlier test (aborted, still in flight) cannot land here.
    const quiet = await startFixtureServer(cert);
    try {
      expect(must(await probeFingerprint(quiet.url))).toBe(cert.fingerprint);
      expect(quiet.requests).toEqual([]);
    } finally {
      await quiet.close();
    }
  });

  it('resends a GET once when the server dropped the idle keep-alive socket', async () => {
    const seen = new WeakMap<Socket, number>();
    let connections = 0;
    const flaky = createHttpsServer({ key: cert.keyPem, cert: cert.certPem, keepAlive: true }, (request, response) => {
      const count = (seen.get(request.socket) ?? 0) + 1;
      seen.set(request.socket, count);
      if (count === 2) {
        request.socket.destroy();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      response.end(JSON.stringify({ data: { version: '8.3.2', release: '8.3' } }));
    });
    flaky.on('secureConnection', () => (connections += 1));
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = flaky.address() as { port: number };
      const { api, events } = make({ baseUrl: `https://127.0.0.1:${port}` });
      must(await api.version());
      must(await api.version());
      expect(connections).toBe(2);
      expect(events).toHaveLength(2);
    } finally {
      flaky.closeAllConnections();
      await new Promise<void>((resolve) => flaky.close(() => resolve()));
    }
  });

  it('reaches an IPv6 literal base URL (https://[::1]:port) with the pin', async () => {
    const v6 = createHttpsServer({ key: cert.keyPem, cert: cert.certPem }, (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      response.end(JSON.stringify({ data: { version: '8.3.2', release: '8.3' } }));
    });
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    try {
      const { port } = v6.address() as { port: number };
      const { api, client } = make({ baseUrl: `https://[::1]:${port}` });
      expect(must(await api.version()).release).toBe('8.3');
      expect(must(await probeFingerprint(`https://[::1]:${port}`))).toBe(cert.fingerprint);
      client.close();
    } finally {
      v6.closeAllConnections();
      await new Promise<void>((resolve) => v6.close(() => resolve()));
    }
  });

  it('refuses unusable options as CONFIG_INVALID values', () => {
    const auth = { kind: 'token', tokenId: 'a@pve!b', tokenSecret: 's' } as const;
    expect(mustFail(createPveClient({ baseUrl: 'http://127.0.0.1:8006', auth })).code).toBe('CONFIG_INVALID');
    expect(mustFail(createPveClient({ baseUrl: server.url, auth, fingerprint: 'AB:CD' })).code).toBe('CONFIG_INVALID');
    expect(must(createPveClient({ baseUrl: server.url, auth, fingerprint: cert.fingerprint }))).toBeInstanceOf(PveHttpClient);
  });
});
