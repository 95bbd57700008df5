import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDockerApi } from '../../src/adapters/docker/index.ts';
import { startSimDockerApi, type SimDockerApi } from '../../src/sim/docker/index.ts';
import { startSimSshServers, type SimSshServers } from '../../src/sim/ssh/index.ts';
import { FakeHostView } from '../ssh/fake-host-view.ts';

const HOST = 'docker@103';
const view = new FakeHostView();
let docker: SimDockerApi;
let ssh: SimSshServers;

beforeAll(async () => {
  docker = await startSimDockerApi(view);
  ssh = await startSimSshServers(view, { dockerEndpoints: docker.urls });
});
afterAll(async () => {
  await ssh.close();
  await docker.close();
});

function api(knownHosts = ssh.knownHosts) {
  const built = createDockerApi({
    hosts: { [HOST]: `ssh://root@127.0.0.1:${ssh.dockerPorts[HOST]}` },
    ssh: { privateKey: ssh.clientKey.privateKey, knownHosts },
    timeoutMs: 3000,
  });
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

describe('Docker over SSH (docker system dial-stdio) against the simulated Docker VM', () => {
  it('lists and restarts containers through the SSH tunnel', async () => {
    const list = await api().listContainers(HOST);
    expect(list.ok && list.value.map((container) => container.name)).toContain('jarvis');
    expect(await api().doContainerAction(HOST, 'uptime-kuma', 'restart')).toMatchObject({ ok: true, value: { changed: true, after: 'running' } });
    expect(ssh.execRequests.at(-1)).toEqual({ node: HOST, command: 'docker system dial-stdio' });
    await vi.waitFor(() => expect(ssh.openConnections()).toBe(0));
  });

  it('times out a hung daemon behind the tunnel with DOCKER_TIMEOUT', async () => {
    docker.setFault(HOST, 'hang');
    try {
      expect(await api().listContainers(HOST, { timeoutMs: 400 })).toMatchObject({ ok: false, error: { code: 'DOCKER_TIMEOUT' } });
    } finally {
      docker.setFault(HOST, 'none');
    }
  });

  it('refuses an unpinned or changed SSH host key of the Docker host', async () => {
    expect(await api('').listContainers(HOST)).toMatchObject({ ok: false, error: { code: 'SSH_HOST_KEY_UNKNOWN' } });
    const line = ssh.hostKeys[HOST]!.knownHostsLine.split(' ');
    const wrong = `${line[0]} ${ssh.hostKeys.agent1!.publicKey}\n`;
    expect(await api(wrong).listContainers(HOST)).toMatchObject({ ok: false, error: { code: 'SSH_HOST_KEY_MISMATCH' } });
  });

  it('reports the daemon down behind the tunnel as DOCKER_UNREACHABLE', async () => {
    view.dockerDown.add(HOST);
    try {
      expect(await api().listContainers(HOST)).toMatchObject({ ok: false, error: { code: 'DOCKER_UNREACHABLE' } });
    } finally {
      view.dockerDown.delete(HOST);
    }
  });
});
