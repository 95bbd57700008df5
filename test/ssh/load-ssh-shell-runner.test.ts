import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSshShellRunner } from '../../src/adapters/ssh/index.ts';
import { renderCommand } from '../../src/core/safety/command-catalogue.ts';
import { startSimSshServers, type SimSshServers } from '../../src/sim/ssh/index.ts';
import { FakeHostView } from './fake-host-view.ts';

const view = new FakeHostView();
let sim: SimSshServers;
let dir: string;

beforeAll(async () => {
  sim = await startSimSshServers(view);
  dir = await mkdtemp(join(tmpdir(), 'jarvis-ssh-'));
  await writeFile(join(dir, 'id_ed25519'), sim.clientKey.privateKey, { mode: 0o600 });
  await writeFile(join(dir, 'known_hosts'), sim.knownHosts);
  await writeFile(join(dir, 'garbage'), 'not a key');
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const uptime = () => {
  const command = renderCommand({ id: 'uptime' }, { now: view.now() });
  if (!command.ok) throw new Error(command.error.message);
  return command.value;
};

describe('loadSshShellRunner (config files -> runner)', () => {
  const base = () => ({ nodes: [{ name: 'agent1', address: '127.0.0.1' }, { name: 'pve' }], user: 'root', port: sim.ports.agent1!, timeoutMs: 3000 });

  it('refuses to build without a usable key file (CONFIG_INVALID with a hint)', async () => {
    expect(await loadSshShellRunner(base())).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(await loadSshShellRunner({ ...base(), keyFile: join(dir, 'garbage') })).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(await loadSshShellRunner({ ...base(), keyFile: join(dir, 'missing') })).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
  });

  it('runs commands with the key and known_hosts read from files; nodes without an address are skipped', async () => {
    const runner = await loadSshShellRunner({ ...base(), keyFile: join(dir, 'id_ed25519'), knownHostsFile: join(dir, 'known_hosts') });
    expect(runner.ok && (await runner.value.run('agent1', uptime()))).toMatchObject({ ok: true, value: { exitCode: 0 } });
    expect(runner.ok && (await runner.value.run('pve', uptime()))).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('with no known_hosts file every host is unknown, and the error carries the line to pin', async () => {
    const runner = await loadSshShellRunner({ ...base(), keyFile: join(dir, 'id_ed25519'), knownHostsFile: join(dir, 'absent_known_hosts') });
    const result = runner.ok ? await runner.value.run('agent1', uptime()) : undefined;
    expect(result).toMatchObject({ ok: false, error: { code: 'SSH_HOST_KEY_UNKNOWN', details: { knownHostsLine: sim.hostKeys.agent1!.knownHostsLine } } });
  });
});
