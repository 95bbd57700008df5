import { describe, expect, it } from 'vitest';
import { ALL_TOOLS, findTool } from '../../src/app/tools/index.ts';
import { runTool } from '../../src/app/tools/run-tool.ts';
import { createToolHealth, toolsEntry, type ToolHealthDeps } from '../../src/app/tools/tool-health.ts';
import { makeContext } from './make-context.ts';

/**
 * Tool health over a fresh fake world (PVE ok, SSH to pve and agent1, the world's Docker hosts,
 * the wall clock, 100 ms probe timeout); `overrides` replace any of these dependencies.
 */
function setup(overrides: Partial<ToolHealthDeps> = {}) {
  const built = makeContext();
  const health = createToolHealth({
    base: { dependencies: async () => ({ pve: { status: 'ok' } }) },
    tools: ALL_TOOLS,
    shell: built.world.shell,
    sshNodes: ['pve', 'agent1'],
    docker: built.world.dockerApi,
    clock: { now: () => Date.now() },
    probeTimeoutMs: 100,
    ...overrides,
  });
  return { ...built, health };
}

describe('tool health for GET /health', () => {
  it('reports the duration of each SSH and Docker probe (one per node or host) for jarvis_dependency_latency_seconds', async () => {
    const probes: [string, number][] = [];
    const { world, health } = setup({ onProbe: (dependency, seconds) => probes.push([dependency, seconds]) });
    await health.refresh();
    expect(probes.map(([dependency]) => dependency).sort()).toEqual([...Array(world.dockerApi.hosts().length).fill('docker'), 'ssh', 'ssh'].sort());
    for (const [, seconds] of probes) expect(seconds).toBeGreaterThanOrEqual(0);
  });

  it('reports PVE, SSH, Docker and all tools available when everything answers', async () => {
    const { health } = setup();
    await health.refresh();
    expect(await health.dependencies()).toEqual({
      pve: { status: 'ok' },
      ssh: { status: 'ok' },
      docker: { status: 'ok' },
      tools: { status: 'ok', message: '8 tools available' },
    });
  });

  it('Docker down degrades only manage_docker; the PVE tools keep working', async () => {
    const { world, context, health } = setup();
    world.dockerDown = true;
    await health.refresh();
    const entries = await health.dependencies();
    expect(entries.docker?.status).toBe('down');
    expect(entries.tools).toEqual({ status: 'degraded', message: 'unavailable while docker is down: manage_docker' });
    expect((await runTool(findTool('check_cluster_health')!, {}, context)).ok).toBe(true);
    expect((await runTool(findTool('manage_vm')!, { vmid: 100, action: 'start' }, context)).ok).toBe(true);
  });

  it('a hung SSH probe answers within its own deadline and names the SSH tools', async () => {
    const { world, health } = setup();
    world.sshHang = true;
    await health.refresh();
    const entries = await health.dependencies();
    expect(entries.ssh?.status).toBe('down');
    expect(entries.tools?.message).toBe('unavailable while ssh is down: run_diagnostic, execute_remediation');
  });

  it('answers at once before the first probe finished, and marks unconfigured dependencies unknown', async () => {
    const { health } = setup({ shell: undefined, sshNodes: undefined, docker: undefined, clock: { now: () => 0 } });
    const entries = await health.dependencies();
    expect(entries.ssh).toEqual({ status: 'unknown', message: 'ssh not configured' });
    expect(entries.docker).toEqual({ status: 'unknown', message: 'docker not configured' });
  });

  it('names tools of a down dependency unavailable and of a degraded one limited, and leaves the rest alone', () => {
    expect(toolsEntry(ALL_TOOLS, { pve: { status: 'ok' }, ssh: { status: 'degraded' }, docker: { status: 'down' } })).toEqual({
      status: 'degraded',
      message: 'unavailable while docker is down: manage_docker; limited while ssh is degraded: run_diagnostic, execute_remediation',
    });
  });

  it('says how old a probe result is when no /health call refreshed it for longer than the TTL', async () => {
    let now = 0;
    const { world, health } = setup({ sshNodes: ['pve'], clock: { now: () => now }, ttlMs: 30_000 });
    await health.refresh();
    world.dockerDown = true;
    now = 300_000;
    const stale = await health.dependencies();
    expect(stale.ssh).toEqual({ status: 'ok', message: 'checked 300 s ago; re-checking' });
    expect(stale.docker).toEqual({ status: 'ok', message: 'checked 300 s ago; re-checking' });
    await health.refresh();
    expect((await health.dependencies()).docker?.status).toBe('down');
  });
});
