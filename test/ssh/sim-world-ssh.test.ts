import { afterEach, describe, expect, it } from 'vitest';
import { SshShellRunner } from '../../src/adapters/ssh/index.ts';
import { renderCommand, type CommandRequest } from '../../src/core/safety/command-catalogue.ts';
import { pveshFromRoutes, serviceRestartHooks, startSimSshServers, type SimSshServers } from '../../src/sim/ssh/index.ts';
import { SimWorld } from '../../src/sim/world/sim-world.ts';
import { applyScenario, HOSTILE_TEXT } from '../../src/sim/world/scenarios.ts';

let sim: SimSshServers | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(scenario: string) {
  const world = new SimWorld({ seed: 1, nodes: 4, guests: 20, taskDurationMs: 100, staleHorizonMs: 300_000, tickSeconds: 60 });
  expect(applyScenario(world, scenario)).toBeUndefined();
  sim = await startSimSshServers(world, { hooks: { ...serviceRestartHooks(world), pveshGet: pveshFromRoutes(world) } });
  const nodes = Object.fromEntries(Object.entries(sim.ports).map(([node, port]) => [node, { host: '127.0.0.1', port }]));
  const runner = new SshShellRunner({ nodes, privateKey: sim.clientKey.privateKey, knownHosts: sim.knownHosts, timeoutMs: 5000 });
  const run = async (node: string, request: CommandRequest) => {
    const command = renderCommand(request, { now: world.now() });
    if (!command.ok) throw new Error(command.error.message);
    const result = command.value.tier === 'green' ? await runner.run(node, command.value) : await runner.doRun(node, command.value);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value;
  };
  return { world, runner, run };
}

const rootCapacity = (df: string) => Number(/(\d+)% \/\n/.exec(df)?.[1]);

describe('simulated SSH over the real SimWorld', () => {
  it('serves one SSH endpoint per world node', async () => {
    const { world } = await start('healthy');
    expect(Object.keys(sim!.ports).sort()).toEqual(world.nodeNames().sort());
  });

  it('disk-filling: df on pve shows the root filesystem filling as the world ticks', async () => {
    const { world, run } = await start('disk-filling');
    const before = rootCapacity((await run('pve', { id: 'disk_usage' })).stdout);
    for (let tick = 0; tick < 5; tick += 1) world.tick();
    const after = rootCapacity((await run('pve', { id: 'disk_usage' })).stdout);
    expect(after).toBeGreaterThan(before);
  });

  it('degraded: the failed unit shows in list-units --failed and status exits 3', async () => {
    const { run } = await start('degraded');
    expect((await run('pve', { id: 'failed_units' })).stdout).toMatch(/^pve-ha-lrm\.service loaded failed /m);
    expect((await run('pve', { id: 'service_status', params: { unit: 'pve-ha-lrm' } })).exitCode).toBe(3);
    expect((await run('pve', { id: 'journal', params: { unit: 'pve-ha-lrm', since: '1h', lines: 20 } })).stdout).toContain("Failed with result 'signal'");
  });

  it('a yellow service_restart through doRun makes the failed unit active and logs the restart', async () => {
    const { world, run } = await start('healthy');
    world.setService('pve', 'pveproxy', 'failed', 'failed');
    expect((await run('pve', { id: 'service_status', params: { unit: 'pveproxy' } })).exitCode).toBe(3);
    expect((await run('pve', { id: 'service_restart', params: { unit: 'pveproxy' } })).exitCode).toBe(0);
    expect((await run('pve', { id: 'service_status', params: { unit: 'pveproxy' } })).exitCode).toBe(0);
    expect((await run('pve', { id: 'journal', params: { unit: 'pveproxy', since: '1h', lines: 5 } })).stdout).toContain('Started pveproxy.service.');
  });

  it('injection: the hostile journal line arrives verbatim (sanitising is the tools\u2019 job, not the transport\u2019s)', async () => {
    const { world, run } = await start('injection');
    const node = world.nodeNames().find((name) => world.journal(name, { unit: 'sshd' }).some((entry) => entry.message.includes(HOSTILE_TEXT)))!;
    expect((await run(node, { id: 'journal', params: { unit: 'sshd', since: '1h', lines: 50 } })).stdout).toContain(HOSTILE_TEXT);
  });

  it('pvesh get answers from the simulated PVE API (same guests as REST), and fails for an offline node', async () => {
    const { world, run } = await start('node-offline');
    const resources = JSON.parse((await run('pve', { id: 'pvesh_get', params: { path: '/cluster/resources' } })).stdout) as { type: string; vmid?: number }[];
    expect(
      resources
        .filter((entry) => entry.type === 'qemu' || entry.type === 'lxc')
        .map((entry) => entry.vmid)
        .sort(),
    ).toEqual(
      world
        .guests()
        .map((guest) => guest.vmid)
        .sort(),
    );
    const offline = await run('pve', { id: 'pvesh_get', params: { path: '/nodes/agent/status' } });
    expect(offline).toMatchObject({ exitCode: 2, stdout: '' });
  });

  it('node-offline: SSH to the offline node is SSH_UNREACHABLE', async () => {
    const { world, runner } = await start('node-offline');
    const command = renderCommand({ id: 'uptime' }, { now: world.now() });
    expect(command.ok && (await runner.run('agent', command.value))).toMatchObject({ ok: false, error: { code: 'SSH_UNREACHABLE' } });
  });
});
