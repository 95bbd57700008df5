import { afterAll, describe, expect, it } from 'vitest';
import { StateDtoSchema, HealthDtoSchema } from '../../src/protocol/index.ts';
import { buildTestServer } from './test-server.ts';

describe('http server basics', async () => {
  const server = await buildTestServer();
  afterAll(() => server.app.close());

  it('serves /health without credentials', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(HealthDtoSchema.parse(response.json()).status).toBe('ok');
  });

  it('serves /api/state to a logged-in viewer with serverTime and seq', async () => {
    const cookie = await server.login('viewer');
    const response = await server.app.inject({ method: 'GET', url: '/api/state', headers: { cookie } });
    expect(response.statusCode).toBe(200);
    const state = StateDtoSchema.parse(response.json());
    expect(state.serverTime).toBe(server.clock.now());
    expect(state.seq).toBe(0);
    expect(state.snapshot?.nodes).toHaveLength(4);
    expect(state.user).toEqual({ name: 'viewer', role: 'viewer' });
  });

  it('sets an HttpOnly SameSite=Strict session cookie', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'admin', password: 'admin-pass' } });
    expect(response.statusCode).toBe(200);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).not.toMatch(/Secure/); // test server: secureCookies false (plain http)
  });

  it("marks the cookie Secure over https in 'auto' mode", async () => {
    const proxied = await buildTestServer({ secureCookies: 'auto', trustProxy: true });
    const response = await proxied.app.inject({
      method: 'POST',
      url: '/api/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { username: 'admin', password: 'admin-pass' },
    });
    expect(String(response.headers['set-cookie'])).toMatch(/Secure/);
    const plain = await proxied.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'admin', password: 'admin-pass' } });
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
    await proxied.app.close();
  });
});
