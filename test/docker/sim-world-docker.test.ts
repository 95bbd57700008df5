import { afterEach, describe, expect, it } from 'vitest';
import { createDockerApi } from '../../src/adapters/docker/index.ts';
import { startSimDockerApi, type SimDockerApi } from '../../src/sim/docker/index.ts';
import { SimWorld } from '../../src/sim/world/sim-world.ts';
import { applyScenario, HOSTILE_TEXT } from '../../src/sim/world/scenarios.ts';

let sim: SimDockerApi | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(scenario: string) {
  const world = new SimWorld({ seed: 1, nodes: 4, guests: 20, taskDurationMs: 100, staleHorizonMs: 300_000, tickSeconds: 60 });
  expect(applyScenario(world, scenario)).toBeUndefined();
  sim = await startSimDockerApi(world);
  const api = createDockerApi({ hosts: sim.urls, timeoutMs: 3000 });
  if (!api.ok) throw new Error(api.error.message);
  return { world, api: api.value };
}

describe('simulated Docker Engine over the real SimWorld', () => {
  it('lists the management VM containers, jarvis among them', async () => {
    const { api } = await start('healthy');
    expect(api.hosts()).toEqual(['docker@103']);
    const list = await api.listContainers('docker@103');
    expect(list.ok && list.value.map((container) => container.name)).toEqual(expect.arrayContaining(['jarvis', 'uptime-kuma']));
  });

  it('restart of a running container reports before/after; start of it again is a no-op', async () => {
    const { api } = await start('healthy');
    expect(await api.doContainerAction('docker@103', 'uptime-kuma', 'restart')).toMatchObject({
      ok: true,
      value: { changed: true, before: 'running', after: 'running' },
    });
    expect(await api.doContainerAction('docker@103', 'uptime-kuma', 'start')).toMatchObject({ ok: true, value: { changed: false } });
  });

  it('injection: the hostile container log line comes back verbatim through the framing', async () => {
    const { api } = await start('injection');
    const logs = await api.containerLogs('docker@103', 'homepage', { tail: 50 });
    expect(logs.ok && logs.value.lines.some((line) => line.text.includes(HOSTILE_TEXT))).toBe(true);
  });

  it('docker-down: a structured DOCKER_UNREACHABLE error', async () => {
    const { api } = await start('docker-down');
    expect(await api.listContainers('docker@103')).toMatchObject({ ok: false, error: { code: 'DOCKER_UNREACHABLE', retryable: true } });
  });
});
