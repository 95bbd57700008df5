import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerApi, type DockerodeDockerApi } from '../../src/adapters/docker/index.ts';
import { probeDocker } from '../../src/core/ports/docker.ts';
import { startSimDockerApi, type SimDockerApi } from '../../src/sim/docker/index.ts';
import { FakeHostView } from '../ssh/fake-host-view.ts';

const HOST = 'docker@103';
let view: FakeHostView;
let sim: SimDockerApi;
let api: DockerodeDockerApi;

beforeAll(async () => {
  view = new FakeHostView();
  sim = await startSimDockerApi(view, { host: '127.0.0.1' });
  const built = createDockerApi({ hosts: { [HOST]: sim.urls[HOST]! }, timeoutMs: 3000 });
  if (!built.ok) throw new Error(built.error.message);
  api = built.value;
});
afterAll(async () => {
  await sim.close();
});

describe('DockerodeDockerApi against the simulated Engine API', () => {
  it('pings and lists all containers, jarvis among them', async () => {
    expect(await api.ping(HOST)).toEqual({ ok: true, value: { apiVersion: '1.47', version: '27.3.1' } });
    const list = await api.listContainers(HOST);
    expect(list.ok && list.value.map((container) => [container.name, container.state])).toEqual([
      ['jarvis', 'running'],
      ['uptime-kuma', 'running'],
      ['nginx-proxy', 'exited'],
    ]);
    const running = await api.listContainers(HOST, { all: false });
    expect(running.ok && running.value).toHaveLength(2);
  });

  it('inspects by name and reports a missing container as DOCKER_NOT_FOUND', async () => {
    const detail = await api.inspectContainer(HOST, 'uptime-kuma');
    expect(detail.ok && detail.value).toMatchObject({
      id: 'b'.repeat(64),
      name: 'uptime-kuma',
      running: true,
      restartCount: 1,
      image: 'louislam/uptime-kuma:1',
    });
    expect(await api.inspectContainer(HOST, 'ghost')).toMatchObject({
      ok: false,
      error: { code: 'DOCKER_NOT_FOUND', message: 'No such container: ghost', retryable: false },
    });
  });

  it('reads logs through the multiplexed framing, tail honoured', async () => {
    const logs = await api.containerLogs(HOST, 'uptime-kuma', { tail: 2 });
    expect(logs).toEqual({
      ok: true,
      value: {
        lines: [
          { stream: 'stdout', text: 'line two' },
          { stream: 'stdout', text: 'line three' },
        ],
        truncated: false,
      },
    });
    expect(sim.requests.at(-1)?.path).toMatch(/\/containers\/uptime-kuma\/logs\?.*tail=2/);
  });

  it('start of a running container is a reported no-op; start of a stopped one changes it', async () => {
    expect(await api.doContainerAction(HOST, 'uptime-kuma', 'start')).toMatchObject({
      ok: true,
      value: { changed: false, before: 'running', after: 'running' },
    });
    expect(await api.doContainerAction(HOST, 'nginx-proxy', 'start')).toMatchObject({ ok: true, value: { changed: true, before: 'exited', after: 'running' } });
  });

  it('stop is idempotent, and restart reports before/after state and a new start time', async () => {
    expect(await api.doContainerAction(HOST, 'nginx-proxy', 'stop')).toMatchObject({ ok: true, value: { changed: true, before: 'running', after: 'exited' } });
    expect(await api.doContainerAction(HOST, 'nginx-proxy', 'stop')).toMatchObject({ ok: true, value: { changed: false, before: 'exited', after: 'exited' } });
    const restart = await api.doContainerAction(HOST, 'uptime-kuma', 'restart');
    expect(restart).toMatchObject({ ok: true, value: { container: 'uptime-kuma', action: 'restart', changed: true, before: 'running', after: 'running' } });
    expect(restart.ok && restart.value.startedAtAfter).not.toBe(restart.ok && restart.value.startedAtBefore);
  });

  it('a down daemon gives DOCKER_UNREACHABLE (retryable), and the next call after recovery works', async () => {
    view.dockerDown.add(HOST);
    try {
      expect(await api.listContainers(HOST)).toMatchObject({ ok: false, error: { code: 'DOCKER_UNREACHABLE', retryable: true } });
      expect(await api.doContainerAction(HOST, 'uptime-kuma', 'restart')).toMatchObject({ ok: false, error: { code: 'DOCKER_UNREACHABLE' } });
      expect(await probeDocker(api, HOST)).toEqual({ status: 'down', detail: `docker ${HOST}: DOCKER_UNREACHABLE` });
    } finally {
      view.dockerDown.delete(HOST);
    }
    expect((await api.listContainers(HOST)).ok).toBe(true);
    expect(await probeDocker(api, HOST)).toEqual({ status: 'ok', detail: `docker ${HOST}: ok (API 1.47)` });
  });

  it('a hung daemon gives DOCKER_TIMEOUT within the deadline', async () => {
    sim.setFault(HOST, 'hang');
    try {
      expect(await api.listContainers(HOST, { timeoutMs: 300 })).toMatchObject({ ok: false, error: { code: 'DOCKER_TIMEOUT', retryable: true } });
      expect(await api.doContainerAction(HOST, 'uptime-kuma', 'stop', { timeoutMs: 300 })).toMatchObject({ ok: false, error: { code: 'DOCKER_TIMEOUT' } });
    } finally {
      sim.setFault(HOST, 'none');
    }
  });

  it('sends only the requests docs/docker-proxy.md allowlists for the socket proxy', () => {
    const allowed = [
      /^GET (\/v1\.\d+)?\/(version|_ping|containers\/json|containers\/[a-zA-Z0-9_.-]+\/(json|logs))(\?.*)?$/,
      /^POST (\/v1\.\d+)?\/containers\/[a-zA-Z0-9_.-]+\/(start|stop|restart)(\?.*)?$/,
    ];
    expect(sim.requests.length).toBeGreaterThan(10);
    expect(sim.requests.map((request) => `${request.method} ${request.path}`).filter((line) => !allowed.some((rule) => rule.test(line)))).toEqual([]);
  });

  it('refuses actions on a protected container (second wall behind the kernel) without sending them', async () => {
    const guarded = createDockerApi({ hosts: { [HOST]: sim.urls[HOST]! }, protectedContainers: ['jarvis'] });
    if (!guarded.ok) throw new Error(guarded.error.message);
    const posts = () => sim.requests.filter((request) => request.method === 'POST').length;
    const before = posts();
    expect(await guarded.value.doContainerAction(HOST, 'jarvis', 'stop')).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    expect(await guarded.value.doContainerAction(HOST, 'a'.repeat(64), 'restart')).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    expect(posts()).toBe(before);
  });

  it('refuses an unknown Docker host without any request', async () => {
    expect(await api.listContainers('docker@999')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
