import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../src/app/http/build-http-server.ts';
import { buildTestServer } from './test-server.ts';

/**
 * The auth boundary, checked over the real route table: a route added later is covered
 * automatically and fails here unless it is protected (or deliberately added to PUBLIC).
 */
const PUBLIC = new Set(['GET /health', 'HEAD /health', 'POST /api/login', 'GET /', 'HEAD /', 'GET /*', 'HEAD /*']);
const ORIGIN = 'http://localhost:80';

describe('access control over every registered route', async () => {
  const webRoot = mkdtempSync(join(tmpdir(), 'jarvis-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Jarvis</title>');
  // A plugin added by another module (e.g. /mcp) lands inside the authenticated context.
  const extra = async (scope: FastifyInstance) => {
    scope.post('/mcp', async () => ({ ok: true }));
    scope.get('/api/extra', async () => ({ ok: true }));
  };
  const server = await buildTestServer({ hub: {}, webRoot, protectedPlugins: [extra] });
  afterAll(() => server.app.close());
  const routes = registeredRoutes(server.app).filter((route) => route.method !== 'OPTIONS');
  const protectedRoutes = routes.filter((route) => !PUBLIC.has(`${route.method} ${route.url}`));
  const url = (path: string) => path.replace(/:(\w+)/g, 'x1');

  it('registers the expected API surface, including /ws, with only /health, login and static files public', () => {
    const names = routes.map((route) => `${route.method} ${route.url}`);
    expect(names.filter((name) => PUBLIC.has(name)).sort()).toEqual(['GET /*', 'GET /health', 'HEAD /*', 'HEAD /health', 'POST /api/login']);
    for (const expected of [
      'GET /api/state',
      'GET /api/history',
      'GET /api/audit',
      'GET /api/approvals',
      'POST /api/approvals/:id/approve',
      'POST /api/approvals/:id/reject',
      'GET /api/events',
      'POST /api/actions',
      'GET /api/freeze',
      'POST /api/freeze',
      'GET /api/settings',
      'PUT /api/settings',
      'POST /api/chat',
      'GET /metrics',
      'GET /ws',
      'POST /mcp',
      'GET /api/extra',
    ]) {
      expect(names).toContain(expected);
    }
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(15);
  });

  it('refuses anonymous requests on every protected route with 401', async () => {
    for (const route of protectedRoutes) {
      const response = await server.app.inject({
        method: route.method as 'GET',
        url: url(route.url),
        headers: { origin: ORIGIN },
        payload: route.method === 'GET' || route.method === 'HEAD' ? undefined : {},
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('refuses a garbage bearer token and a revoked one on every protected route', async () => {
    const { id, token } = server.deps.auth.createToken('admin', 'ci');
    server.deps.auth.revokeToken(id);
    for (const bearer of ['jv_not-a-token', token]) {
      for (const route of protectedRoutes) {
        const response = await server.app.inject({ method: route.method as 'GET', url: url(route.url), headers: { authorization: `Bearer ${bearer}` } });
        expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      }
    }
  });

  it('refuses an expired session on every protected route', async () => {
    const cookie = await server.login('admin');
    server.clock.advance(60 * 60_000 + 1);
    for (const route of protectedRoutes) {
      const response = await server.app.inject({ method: route.method as 'GET', url: url(route.url), headers: { cookie, origin: ORIGIN } });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('refuses a foreign Origin on every route, public ones included, even with a valid admin session', async () => {
    const cookie = await server.login('admin');
    for (const route of routes) {
      const response = await server.app.inject({ method: route.method as 'GET', url: url(route.url), headers: { cookie, origin: 'https://evil.example' } });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
      if (route.method !== 'HEAD') expect(response.json().error.code).toBe('ORIGIN_NOT_ALLOWED');
    }
  });

  it('refuses cookie-authenticated state changes that carry no Origin (CSRF defence in depth)', async () => {
    const cookie = await server.login('admin');
    const response = await server.app.inject({ method: 'POST', url: '/api/freeze', headers: { cookie }, payload: { frozen: true } });
    expect(response.statusCode).toBe(403);
  });

  it('accepts an Origin listed in allowedOrigins', async () => {
    const other = await buildTestServer({ allowedOrigins: ['https://Jarvis.lan/'] });
    const cookie = await other.login('operator');
    const response = await other.app.inject({
      method: 'POST',
      url: '/api/freeze',
      headers: { cookie, origin: 'https://jarvis.lan' },
      payload: { frozen: true },
    });
    expect(response.statusCode).toBe(200);
    await other.app.close();
  });

  it('lets a bearer token (CLI/MCP) change state without an Origin', async () => {
    const { token } = server.deps.auth.createToken('operator', 'cli');
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/freeze',
      headers: { authorization: `Bearer ${token}` },
      payload: { frozen: true, reason: 'test' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ frozen: true, by: 'token:cli' });
  });
});
