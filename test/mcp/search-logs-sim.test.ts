/**
 * search_logs against the simulated PVE /syslog, which pages like PVE's dump_journal (from the
 * oldest line of the window when `start` is 0): the tool must still show the NEWEST lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTool, runTool } from '../../src/app/tools/index.ts';
import { toolContextFactory } from '../../src/app/mcp/mount-mcp.ts';
import { SEED_TOPOLOGY } from '../../src/core/domain/topology.ts';
import { injectLog } from '../../src/sim/world/text-injection.ts';
import { startSimHarness } from './sim-harness.ts';

let harness: Awaited<ReturnType<typeof startSimHarness>>;
beforeAll(async () => {
  harness = await startSimHarness();
});
afterAll(async () => {
  await harness?.close();
});

function search(args: Record<string, unknown>) {
  const clock = { now: () => Date.now() };
  const context = toolContextFactory({
    cluster: harness.api,
    shell: harness.shell,
    docker: harness.dockerApi,
    executor: harness.executor,
    clock,
    topology: SEED_TOPOLOGY,
  })({ kind: 'mcp-client', clientId: 'search-test' });
  return runTool(findTool('search_logs')!, args, context);
}

describe('search_logs over the simulated PVE /syslog', () => {
  it('shows the newest lines of a busy window, not its first page', async () => {
    for (let index = 0; index < 120; index += 1)
      expect(
        injectLog(harness.sim.world, { target: 'journal', node: 'pve', unit: 'pvedaemon', message: `busy-line-${String(index).padStart(3, '0')}` }),
      ).toBeUndefined();
    const result = await search({ node: 'pve', minutes: 60 });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const lines = result.ok ? (result.data.lines as string[]) : [];
    expect(lines[0]).toContain('busy-line-119');
    expect(result.ok ? result.text : '').not.toContain('busy-line-000');
  });

  it('finds a text match among the newest lines', async () => {
    const result = await search({ node: 'pve', minutes: 60, text: 'busy-line-118' });
    expect(result.ok && result.data.matched, JSON.stringify(result)).toBe(1);
  });

  it('reports an empty window as no matching lines (not PVE\u2019s "no content" placeholder)', async () => {
    const result = await search({ node: 'pve', minutes: 60, service: 'spiceproxy' });
    expect(result.ok && result.data.matched, JSON.stringify(result)).toBe(0);
  });
});
