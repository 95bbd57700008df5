import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerApi, type DockerodeDockerApi } from '../../src/adapters/docker/index.ts';
import { probeDocker } from '../../src/core/ports/docker.ts';

/**
 * A stand-in for docker-socket-proxy (HAProxy) in front of the Engine: `/version` allowed, the
 * containers section switched off (403 with HAProxy's HTML page), and a "daemon down" mode where
 * HAProxy answers 503 because its backend socket is gone.
 */
let server: Server;
let api: DockerodeDockerApi;
let daemonDown = false;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (daemonDown) {
      response.writeHead(503, { 'Content-Type': 'text/html' });
      return void response.end('<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n');
    }
    if (request.method === 'GET' && /^(\/v[\d.]+)?\/version$/.test(request.url ?? '')) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return void response.end(JSON.stringify({ Version: '27.3.1', ApiVersion: '1.47' }));
    }
    response.writeHead(403, { 'Content-Type': 'text/html' });
    response.end('<html><body><h1>403 Forbidden</h1>\nRequest forbidden by administrative rules.\n</body></html>\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  const built = createDockerApi({ hosts: { 'docker@103': `tcp://127.0.0.1:${port}` }, timeoutMs: 2000 });
  if (!built.ok) throw new Error(built.error.message);
  api = built.value;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('Docker adapter behind a socket proxy that refuses or has lost its daemon', () => {
  it('a section the proxy forbids gives DOCKER_ERROR 403 with the proxy hint, and health is degraded', async () => {
    expect(await api.listContainers('docker@103')).toMatchObject({
      ok: false,
      error: { code: 'DOCKER_ERROR', retryable: false, details: { status: 403 }, hint: expect.stringContaining('docs/docker-proxy.md') },
    });
    expect(await api.doContainerAction('docker@103', 'uptime-kuma', 'restart')).toMatchObject({
      ok: false,
      error: { code: 'DOCKER_ERROR', details: { status: 403 } },
    });
    expect(await probeDocker(api, 'docker@103')).toEqual({ status: 'degraded', detail: 'docker docker@103: ping ok, list DOCKER_ERROR' });
  });

  it('a 503 from the proxy (daemon gone) is DOCKER_UNREACHABLE and retryable', async () => {
    daemonDown = true;
    try {
      expect(await api.ping('docker@103')).toMatchObject({ ok: false, error: { code: 'DOCKER_UNREACHABLE', retryable: true, details: { status: 503 } } });
      expect((await probeDocker(api, 'docker@103')).status).toBe('down');
    } finally {
      daemonDown = false;
    }
  });
});
