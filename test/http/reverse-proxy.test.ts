import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORDS, buildTestServer, type TestServer } from './test-server.ts';

/**
 * A real reverse-proxy hop on loopback, as nginx or Caddy would do it: forwards every request to
 * Jarvis and appends the client's address to X-Forwarded-For and X-Forwarded-Proto: https (the
 * "client address" is taken from a test header, since every test client is 127.0.0.1).
 */
function startProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((incoming, outgoing) => {
    const client = String(incoming.headers['x-test-client'] ?? '127.0.0.1');
    const headers: Record<string, string | string[] | undefined> = { ...incoming.headers, 'x-forwarded-for': client, 'x-forwarded-proto': 'https' };
    delete headers['x-test-client'];
    const upstream = httpRequest(`${target}${incoming.url}`, { method: incoming.method, headers }, (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    });
    incoming.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

let jarvis: TestServer | undefined;
let proxy: { url: string; close(): Promise<void> } | undefined;
afterEach(async () => {
  await proxy?.close();
  await jarvis?.app.close();
});

async function setUp(trustProxy: boolean | number | string[]) {
  jarvis = await buildTestServer({ secureCookies: 'auto', trustProxy });
  const base = await jarvis.app.listen({ host: '127.0.0.1', port: 0 });
  proxy = await startProxy(base);
  return (client: string, password: string) =>
    fetch(`${proxy!.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-client': client },
      body: JSON.stringify({ username: 'admin', password }),
    });
}

describe('behind a reverse proxy (server.trustProxy)', () => {
  for (const trust of [['127.0.0.1'], 1, true] as const) {
    it(`keys the login throttle on the real client and marks the cookie Secure (trustProxy: ${JSON.stringify(trust)})`, async () => {
      const login = await setUp(trust as boolean | number | string[]);
      for (let attempt = 0; attempt < 5; attempt += 1) expect((await login('203.0.113.9', 'wrong-password')).status).not.toBe(200);
      expect((await login('203.0.113.9', PASSWORDS.admin)).status).toBe(429); // the attacker is locked out
      const admin = await login('198.51.100.7', PASSWORDS.admin); // the real admin is not
      expect(admin.status).toBe(200);
      expect(admin.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    });
  }

  it("without trustProxy every client shares the proxy's address (why the key exists) and cookies stay plain http", async () => {
    const login = await setUp(false);
    for (let attempt = 0; attempt < 5; attempt += 1) await login('203.0.113.9', 'wrong-password');
    expect((await login('198.51.100.7', PASSWORDS.admin)).status).toBe(429);
    await jarvis!.app.close();
    await proxy!.close();
    const fresh = await setUp(false);
    const admin = await fresh('198.51.100.7', PASSWORDS.admin);
    expect(admin.status).toBe(200);
    expect(admin.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
  });
});
