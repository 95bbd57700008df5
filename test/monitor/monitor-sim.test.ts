/**
 * Each rule end to end against the simulator scenario that should trip it (over the wire: PVE
 * HTTPS, SSH, Docker Engine API), and a calm simulated day that must raise nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimMonitor, type SimMonitor } from './sim-harness.ts';

const POLL = 10_000;

async function openAfter(harness: SimMonitor, scenario: string, steps: number): Promise<string[]> {
  harness.scenario(scenario);
  for (let i = 0; i < steps; i++) await harness.step(POLL);
  return harness.monitor
    .list({ status: 'active' })
    .map((alert) => `${alert.rule} ${alert.target}`)
    .sort();
}

describe('monitor on the simulator: each scenario trips its rule', () => {
  const cases: [scenario: string, expected: string, steps: number][] = [
    ['node-offline', 'node-offline node:agent', 2],
    ['quorum-edge', 'quorum-at-edge cluster', 2],
    ['quorum-loss', 'quorum-lost cluster', 2],
    ['guest-crash', 'guest-crashed guest:102', 2],
    ['disk-filling', 'storage-full storage:pve/local', 4],
    ['unit-failure', 'unit-failed unit:pve/pve-ha-lrm', 8],
    ['container-restart-loop', 'container-restart-loop container:docker@103/uptime-kuma', 4],
    ['backup-failed', 'backup-failed backup:101', 5],
    ['docker-down', 'dependency-down dependency:docker', 6],
  ];
  for (const [scenario, expected, steps] of cases) {
    it(`${scenario} -> ${expected}`, async () => {
      const harness = await startSimMonitor();
      try {
        // Warm up: first polls establish the baseline (nothing may fire on a healthy world).
        for (let i = 0; i < 2; i++) await harness.step(POLL);
        expect(harness.monitor.list({ status: 'active' })).toEqual([]);
        expect(await openAfter(harness, scenario, steps)).toContain(expected);
        // One notification per incident opening, none duplicated by repeated polls.
        const titles = harness.phone.sent.map((n) => n.alertId);
        expect(new Set(titles).size).toBe(titles.length);
      } finally {
        await harness.close();
      }
    });
  }
});

describe('monitor on the simulator: a calm day', () => {
  let harness: SimMonitor;
  beforeAll(async () => {
    harness = await startSimMonitor({ settings: { unitsEveryMs: 3_600_000, containersEveryMs: 600_000, tasksEveryMs: 600_000 } });
  });
  afterAll(async () => harness.close());

  it('raises 0 alerts, sends 0 notifications, makes 0 model calls over 24 simulated hours', async () => {
    for (let i = 0; i < 24 * 3; i++) await harness.step(20 * 60_000);
    expect(harness.monitor.list({ status: 'all' }).map((alert) => alert.title)).toEqual([]);
    expect(harness.phone.sent).toEqual([]);
    expect(harness.model.calls).toHaveLength(0);
    expect(harness.proposals).toHaveLength(0);
  });
});
