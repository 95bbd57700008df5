/**
 * A human stopping a VM through PVE (a `qmstop` task) is not a crash, under production cadences
 * (the task list read every 60 s): the monitor holds a stop until a task list read newer than the
 * stop has been seen, so no alert, no push and no red guest.start ticket; a real crash (no task)
 * still alerts at once. Over the wire against the simulator.
 */
import { describe, expect, it } from 'vitest';
import { startSimMonitor } from './sim-harness.ts';

const POLL = 10_000;
const PRODUCTION = { tasksEveryMs: 60_000, containersEveryMs: 60_000, unitsEveryMs: 300_000 };

describe('guest-crashed under production cadences', () => {
  it('a human qm stop (a PVE task) raises nothing and proposes nothing, with autonomy on', async () => {
    const harness = await startSimMonitor({ settings: PRODUCTION });
    try {
      for (let i = 0; i < 3; i++) await harness.step(POLL);
      const running = harness.sim.world.guests().find((guest) => guest.status === 'running' && guest.type === 'qemu' && guest.vmid !== 103)!;
      const task = await harness.api.doPowerAction(running.node, 'qemu', running.vmid, 'stop');
      expect(task.ok).toBe(true);
      for (let i = 0; i < 8; i++) await harness.step(POLL);
      expect(harness.sim.world.guests().find((guest) => guest.vmid === running.vmid)?.status).toBe('stopped');
      expect(harness.monitor.list({ status: 'all' }).map((alert) => `${alert.rule} ${alert.target}`)).toEqual([]);
      expect(harness.phone.sent).toEqual([]);
      expect(harness.proposals).toEqual([]);
    } finally {
      await harness.close();
    }
  });

  it('a real crash (no task) still alerts on the poll that sees it and proposes guest.start', async () => {
    const harness = await startSimMonitor({ settings: PRODUCTION });
    try {
      for (let i = 0; i < 3; i++) await harness.step(POLL);
      harness.scenario('guest-crash');
      await harness.step(POLL);
      expect(harness.monitor.list({ status: 'active' }).map((alert) => `${alert.rule} ${alert.target}`)).toContain('guest-crashed guest:102');
      expect(harness.proposals.map((action) => action.kind)).toEqual(['guest.start']);
    } finally {
      await harness.close();
    }
  });
});
