import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDockerApi } from '../../src/adapters/docker/index.ts';
import { startSimDockerApi, type SimDockerApi } from '../../src/sim/docker/index.ts';
import { startSimSshServers, type SimSshServers } from '../../src/sim/ssh/index.ts';
import { FakeHostView } from '../ssh/fake-host-view.ts';

const view = new FakeHostView();
let docker: SimDockerApi;
let ssh: SimSshServers;
let dir: string;

beforeAll(async () => {
  docker = await startSimDockerApi(view);
  ssh = await startSimSshServers(view, { dockerEndpoints: docker.urls });
  dir = await mkdtemp(join(tmpdir(), 'jarvis-docker-'));
  await writeFile(join(dir, 'id_ed25519'), ssh.clientKey.privateKey, { mode: 0o600 });
  await writeFile(join(dir, 'known_hosts'), ssh.knownHosts);
});
afterAll(async () => {
  await ssh.close();
  await docker.close();
  await rm(dir, { recursive: true, force: true });
});

describe('loadDockerApi (config files -> DockerApi)', () => {
  it('builds a socket-proxy endpoint and refuses a docker.sock', async () => {
    const api = await loadDockerApi({ hosts: docker.urls, timeoutMs: 2000 });
    expect(api.ok && (await api.value.ping('docker@103'))).toMatchObject({ ok: true });
    expect(await loadDockerApi({ hosts: { 'docker@103': 'unix:///var/run/docker.sock' }, timeoutMs: 2000 })).toMatchObject({
      ok: false,
      error: { code: 'CONFIG_INVALID' },
    });
  });

  it('reads the SSH key and known_hosts for ssh:// endpoints', async () => {
    const hosts = { 'docker@103': `ssh://root@127.0.0.1:${ssh.dockerPorts['docker@103']}` };
    const api = await loadDockerApi({ hosts, timeoutMs: 3000, ssh: { keyFile: join(dir, 'id_ed25519'), knownHostsFile: join(dir, 'known_hosts') } });
    expect(api.ok && (await api.value.listContainers('docker@103'))).toMatchObject({ ok: true });
    expect(await loadDockerApi({ hosts, timeoutMs: 3000, ssh: {} })).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
  });

  it('reports an unreadable TLS file as CONFIG_INVALID naming the key', async () => {
    const result = await loadDockerApi({ hosts: { 'docker@103': 'https://127.0.0.1:2376' }, tls: { caFile: join(dir, 'nope.pem') }, timeoutMs: 2000 });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', hint: 'check docker.tls.caFile and its permissions' } });
  });
});
