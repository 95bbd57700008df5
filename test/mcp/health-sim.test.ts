/**
 * GET /health's dependency entries over the real adapters against the simulator (ssh2 to the
 * simulated sshd, dockerode to the simulated Engine API): a down dependency degrades only the
 * tools that need it, and those tools answer structured errors while the others keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS, findTool, runTool } from '../../src/app/tools/index.ts';
import { createToolHealth } from '../../src/app/tools/tool-health.ts';
import { toolContextFactory } from '../../src/app/mcp/mount-mcp.ts';
import { SEED_TOPOLOGY } from '../../src/core/domain/topology.ts';
import { startSimHarness } from './sim-harness.ts';
import { SIM_CALLS } from './sim-calls.ts';

let harness: Awaited<ReturnType<typeof startSimHarness>>;
beforeAll(async () => {
  harness = await startSimHarness();
});
afterAll(async () => {
  await harness?.close();
});

function setup() {
  const clock = { now: () => Date.now() };
  const health = createToolHealth({
    base: { dependencies: async () => ({ pve: { status: 'ok' } }) },
    tools: ALL_TOOLS,
    shell: harness.shell,
    sshNodes: Object.keys(harness.ssh.ports),
    docker: harness.dockerApi,
    clock,
    probeTimeoutMs: 800,
  });
  const context = toolContextFactory({
    cluster: harness.api,
    shell: harness.shell,
    docker: harness.dockerApi,
    executor: harness.executor,
    clock,
    topology: SEED_TOPOLOGY,
    timeouts: { read: 2000, act: 3000, shell: 2000, docker: 2000 },
  })({ kind: 'mcp-client', clientId: 'health-test' });
  const call = (name: string) => runTool(findTool(name)!, SIM_CALLS[name], context);
  return { health, call };
}

describe('dependency health over the real adapters and the simulator', () => {
  it('reports PVE, SSH and Docker ok and all eight tools available', async () => {
    const { health } = setup();
    await health.refresh();
    expect(await health.dependencies()).toEqual({
      pve: { status: 'ok' },
      ssh: { status: 'ok' },
      docker: { status: 'ok' },
      tools: { status: 'ok', message: '8 tools available' },
    });
  });

  it('Docker down (simulated Engine API) degrades only manage_docker; a PVE act and SSH read still work', async () => {
    const { health, call } = setup();
    expect(harness.sim.world.applyFault({ kind: 'docker-down', host: 'docker@103' })).not.toHaveProperty('error');
    try {
      await health.refresh();
      const entries = await health.dependencies();
      expect(entries.docker?.status).toBe('down');
      expect(entries.ssh?.status).toBe('ok');
      expect(entries.tools).toEqual({ status: 'degraded', message: 'unavailable while docker is down: manage_docker' });
      expect((await call('manage_docker')).ok).toBe(false);
      expect((await call('check_cluster_health')).ok).toBe(true);
      expect((await call('run_diagnostic')).ok).toBe(true);
    } finally {
      harness.sim.world.clearFaults();
    }
  });

  it('SSH hanging on every node degrades only the SSH tools; Docker and PVE tools still work', async () => {
    const { health, call } = setup();
    for (const node of Object.keys(harness.ssh.ports)) harness.ssh.setFault(node, 'hang-exec');
    try {
      await health.refresh();
      const entries = await health.dependencies();
      // The nodes still accept SSH connections; only their commands hang: degraded, not down.
      expect(entries.ssh?.status).toBe('degraded');
      expect(entries.docker?.status).toBe('ok');
      expect(entries.tools).toEqual({ status: 'degraded', message: 'limited while ssh is degraded: run_diagnostic, execute_remediation' });
      expect((await call('run_diagnostic')).ok).toBe(false);
      expect((await call('manage_docker')).ok).toBe(true);
      expect((await call('search_logs')).ok).toBe(true);
    } finally {
      for (const node of Object.keys(harness.ssh.ports)) harness.ssh.setFault(node, 'none');
    }
  });
});
