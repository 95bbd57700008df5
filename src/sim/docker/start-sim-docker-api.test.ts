import { afterEach, describe, expect, it } from 'vitest';
import { FakeHostView } from '../../../test/ssh/fake-host-view.ts';
import { startSimDockerApi, type SimDockerApi } from './start-sim-docker-api.ts';

let sim: SimDockerApi | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(view = new FakeHostView()) {
  sim = await startSimDockerApi(view);
  return { view, base: sim.urls['docker@103']!.replace('tcp://', 'http://') };
}

describe('simulated Docker Engine API', () => {
  it('listens on loopback and answers /_ping and a version-prefixed /version', async () => {
    const { base } = await start();
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ping = await fetch(`${base}/_ping`);
    expect([ping.status, await ping.text(), ping.headers.get('api-version')]).toEqual([200, 'OK', '1.47']);
    expect(await (await fetch(`${base}/v1.47/version`)).json()).toMatchObject({ ApiVersion: '1.47', Os: 'linux' });
  });

  it('answers 304 for start of a running and stop of a stopped container, 204 otherwise', async () => {
    const { base, view } = await start();
    expect((await fetch(`${base}/v1.45/containers/uptime-kuma/start`, { method: 'POST' })).status).toBe(304);
    expect((await fetch(`${base}/containers/nginx-proxy/stop`, { method: 'POST' })).status).toBe(304);
    expect((await fetch(`${base}/containers/nginx-proxy/start`, { method: 'POST' })).status).toBe(204);
    expect(view.containerList.find((container) => container.name === 'nginx-proxy')?.state).toBe('running');
    expect((await fetch(`${base}/containers/${'b'.repeat(12)}/restart`, { method: 'POST' })).status).toBe(204);
  });

  it('answers 404 with the Engine message for a missing container and for unknown routes', async () => {
    const { base } = await start();
    const missing = await fetch(`${base}/containers/ghost/json`);
    expect([missing.status, await missing.json()]).toEqual([404, { message: 'No such container: ghost' }]);
    const create = await fetch(`${base}/containers/create`, { method: 'POST', body: '{}' });
    expect(create.status).toBe(404);
  });

  it('frames logs with the 8-byte multiplexed header', async () => {
    const { base } = await start();
    const response = await fetch(`${base}/containers/uptime-kuma/logs?stdout=1&stderr=1&tail=1`);
    expect(response.headers.get('content-type')).toBe('application/vnd.docker.multiplexed-stream');
    const body = Buffer.from(await response.arrayBuffer());
    expect([...body.subarray(0, 8)]).toEqual([1, 0, 0, 0, 0, 0, 0, 11]);
    expect(body.subarray(8).toString()).toBe('line three\n');
    expect((await fetch(`${base}/containers/uptime-kuma/logs`)).status).toBe(400);
  });

  it('resets connections while the daemon is down', async () => {
    const { base, view } = await start();
    view.dockerDown.add('docker@103');
    await expect(fetch(`${base}/_ping`)).rejects.toThrow();
    view.dockerDown.delete('docker@103');
    expect((await fetch(`${base}/_ping`)).status).toBe(200);
  });
});
