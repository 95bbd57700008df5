/**
 * Each rule end to end against the simulator scenario that should trip it (over the wire: PVE
 * HTTPS, SSH, Docker Engine API), and a calm simulated day that must raise nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../src/core/anomaly/index.ts';
import { migrate } from '../../src/sim/world/actions.ts';
import { testSettings } from './monitor-harness.ts';
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
    // Sustained pressure (the harness's window is 60 s): the guest and the node the scenario heats.
    ['cpu-runaway', 'guest-pressure guest:105:cpu', 10],
    ['cpu-runaway', 'node-pressure node:agent:cpu', 10],
    ['memory-pressure', 'guest-pressure guest:101:mem', 10],
    ['memory-pressure', 'node-pressure node:Home:mem', 10],
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

describe('monitor on the simulator: a dependency down', () => {
  it('PVE answering 500 on every poll: dependency-down dependency:pve (critical) after the grace, resolved when it answers again', async () => {
    const harness = await startSimMonitor();
    try {
      for (let i = 0; i < 2; i++) await harness.step(POLL);
      const fault = harness.sim.world.applyFault({ kind: 'http-error', path: '/cluster/resources', status: 500, message: 'simulated outage' });
      expect(fault.error).toBeUndefined();
      for (let i = 0; i < 5; i++) await harness.step(POLL);
      const down = harness.monitor.list({ status: 'active' }).filter((alert) => alert.rule === 'dependency-down');
      expect(down.map((alert) => [alert.target, alert.severity])).toEqual([['dependency:pve', 'critical']]);
      harness.sim.world.clearFaults();
      for (let i = 0; i < 6; i++) await harness.step(POLL);
      expect(harness.monitor.list({ status: 'active' }).filter((alert) => alert.rule === 'dependency-down')).toEqual([]);
    } finally {
      await harness.close();
    }
  });
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

describe('monitor on the simulator: a calm day with routine activity', () => {
  it('human stops/shutdowns through PVE tasks, a nightly backup run and an online migration raise 0 alerts (production cadences)', async () => {
    // The monitor's own thresholds (DEFAULT_THRESHOLDS): calm simulated guests keep a steady band
    // well below them (src/sim/world/metrics.ts), so nothing here may need a looser bound.
    const thresholds = { ...testSettings().thresholds, memory: DEFAULT_THRESHOLDS.memory };
    const harness = await startSimMonitor({ settings: { tasksEveryMs: 60_000, containersEveryMs: 60_000, unitsEveryMs: 300_000, thresholds } });
    try {
      const { api, sim } = harness;
      const pick = (type: 'qemu' | 'lxc', not: number[] = []) =>
        sim.world
          .guests()
          .find((guest) => guest.type === type && guest.status === 'running' && !guest.lock && guest.vmid !== 103 && !not.includes(guest.vmid))!;
      const vm = pick('qemu');
      const ct = pick('lxc');
      const moving = pick('qemu', [vm.vmid]);
      const backedUp = sim.world
        .guests()
        .filter((guest) => !guest.template && !guest.lock && guest.vmid !== 103)
        .slice(0, 3);
      const routine: Record<number, () => Promise<unknown> | void> = {
        3: () => api.doPowerAction(vm.node, 'qemu', vm.vmid, 'stop'),
        6: () => api.doPowerAction(vm.node, 'qemu', vm.vmid, 'start'),
        9: () => api.doPowerAction(ct.node, 'lxc', ct.vmid, 'shutdown'),
        12: () => api.doPowerAction(ct.node, 'lxc', ct.vmid, 'start'),
        // 02:00 nightly backups: one vzdump per guest, 20 min each, archives written when they end.
        42: () => {
          for (const guest of backedUp) {
            sim.world.tasks.start(
              {
                node: sim.world.node(guest.node)!,
                type: 'vzdump',
                id: String(guest.vmid),
                user: 'root@pam',
                durationMs: 20 * 60_000,
                onEnd: (succeeded) => {
                  if (succeeded)
                    sim.world.addBackup({
                      storage: 'nas',
                      vmid: guest.vmid,
                      type: guest.type,
                      ctime: Math.floor(sim.world.now() / 1000),
                      size: 1,
                      protected: false,
                    });
                },
              },
              sim.world.now(),
            );
          }
        },
        50: () => {
          const target = sim.world.nodeNames().find((name) => name !== moving.node && sim.world.isNodeOnline(name))!;
          const started = migrate(sim.world, sim.world.node(moving.node)!, moving.vmid, target, true, 'root@pam');
          expect(started.ok).toBe(true);
        },
      };
      // 24 h in 20 min steps.
      for (let i = 0; i < 72; i++) {
        await routine[i]?.();
        await harness.step(20 * 60_000);
      }
      expect(sim.world.guest(vm.vmid)?.status).toBe('running');
      expect(harness.monitor.list({ status: 'all' }).map((alert) => `${alert.rule} ${alert.target}: ${alert.title}`)).toEqual([]);
      expect(harness.phone.sent).toEqual([]);
      expect(harness.proposals).toEqual([]);
    } finally {
      await harness.close();
    }
  }, 60_000);
});
