/**
 * backup-overdue in the monitor: the rule is fed from PVE's task list (a successful vzdump, which
 * PVE later forgets) and from a second "last backup per guest" source (as PVE storage content
 * would); one alert and one notification when the last success ages past the configured limit,
 * a resolve when a newer backup shows up, and a failing source costs nothing else.
 */
import { describe, expect, it } from 'vitest';
import { createMonitor } from '../../src/app/monitor/monitor.ts';
import { createNotifyDispatcher } from '../../src/app/monitor/notify-dispatcher.ts';
import type { PollResult } from '../../src/app/monitor/poller.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { LastBackupView } from '../../src/core/anomaly/index.ts';
import type { ClusterSnapshot } from '../../src/core/domain/cluster.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../src/core/errors.ts';
import type { TaskSummary } from '../../src/core/ports/cluster.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { MemoryAlertStore } from '../doubles/in-memory-alert-store.ts';
import { ManualClock, pollerOver, recordingNotifier, testSettings } from './monitor-harness.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0);
const H = 3_600_000;

function snapshot(at: number): ClusterSnapshot {
  return {
    version: 1,
    takenAt: at,
    quorum: { quorate: true, nodesTotal: 1, votesOnline: 1, votesTotal: 1, votesNeeded: 1 },
    nodes: [{ name: 'pve', status: 'online', votes: 1, cpu: 0.1, mem: 1, maxmem: 10 }],
    guests: [102, 104].map((vmid) => ({
      vmid,
      type: 'qemu' as const,
      node: 'pve',
      name: `vm${vmid}`,
      status: 'running',
      template: false,
      tags: [],
      cpu: 0.1,
      mem: 1,
      maxmem: 10,
    })),
    storage: [],
  };
}

function setup(maxAgeMs: number) {
  const clock = new ManualClock(T0);
  let tasks: TaskSummary[] = [
    { upid: 'UPID:pve:1', node: 'pve', type: 'vzdump', id: '102', user: 'root@pam', starttime: (T0 - 2 * H) / 1000, endtime: (T0 - H) / 1000, status: 'OK' },
  ];
  let storage: Result<readonly LastBackupView[], JarvisError> = ok([]);
  const phone = recordingNotifier('phone');
  const monitor = createMonitor(
    {
      poller: pollerOver(() => snapshot(clock.now())),
      cluster: { clusterTasks: async () => ok(tasks), rrdData: async () => ok([]) },
      backups: async () => storage,
      readFreeze: async () => false,
      store: new MemoryAlertStore(),
      dispatcher: createNotifyDispatcher([phone], { retries: 0, backoffMs: 1, sleep: async () => undefined, now: () => clock.now(), logger: silentLogger }),
      clock,
      logger: silentLogger,
    },
    testSettings({ sshNodes: [], dockerHosts: [], analysisEnabled: false, thresholds: { ...testSettings().thresholds, backupMaxAgeMs: maxAgeMs } }),
  );
  const poll = (): PollResult => ({ ok: true, version: 1, snapshot: snapshot(clock.now()), events: [], durationMs: 1, at: clock.now() });
  return {
    clock,
    phone,
    monitor,
    forgetTasks: () => (tasks = []),
    setStorage: (value: Result<readonly LastBackupView[], JarvisError>) => (storage = value),
    /** Evaluates every `stepMs` for `ms`. */
    async run(ms: number, stepMs = 10 * 60_000) {
      for (let t = 0; t < ms; t += stepMs) {
        clock.advance(stepMs);
        await monitor.evaluate(poll());
      }
    },
    active: () => monitor.list({ status: 'active' }).map((alert) => `${alert.rule} ${alert.target}`),
  };
}

describe('backup-overdue in the monitor', () => {
  it('fires from the last successful vzdump after PVE forgot it, notifies once, and resolves when a newer backup is reported by storage', async () => {
    const h = setup(24 * H);
    await h.run(H);
    h.forgetTasks();
    await h.run(21 * H);
    expect(h.active()).toEqual([]);
    await h.run(3 * H);
    expect(h.active()).toEqual(['backup-overdue backup:102']);
    const alert = h.monitor.list({ status: 'active' })[0]!;
    expect(alert.title).toContain('overdue: last success 2');
    expect(alert.facts).toMatchObject({ vmid: 102, source: 'vzdump-task', maxAgeHours: 24 });
    await h.run(12 * H);
    expect(h.phone.sent.filter((note) => note.alertId === alert.id).map((note) => note.kind)).toEqual(['alert']);
    // A failing second source is logged and changes nothing.
    h.setStorage(err(jarvisError('PVE_UNREACHABLE', 'storage content unreadable')));
    await h.run(H);
    expect(h.active()).toEqual(['backup-overdue backup:102']);
    h.setStorage(ok([{ vmid: 102, at: h.clock.now() - 5 * 60_000, node: 'pve', source: 'storage:nas' }]));
    await h.run(H);
    expect(h.active()).toEqual([]);
    expect(h.phone.sent.filter((note) => note.alertId === alert.id).map((note) => note.kind)).toEqual(['alert', 'resolve']);
    // Guest 104 was never seen backed up: never judged.
    expect(h.monitor.list({ status: 'all' }).map((entry) => entry.target)).toEqual(['backup:102']);
  });

  it('the limit is configurable (monitor.rules.backupMaxAgeMs, default 2 days; 0 turns the rule off)', async () => {
    const config = (env: Record<string, string>) => {
      const loaded = loadConfig({ argv: [], env: { JARVIS_DATA_DIR: '/nonexistent-data', ...env }, cwd: '/' });
      if (!loaded.ok) throw new Error(loaded.error.message);
      return loaded.value.config.monitor.rules.backupMaxAgeMs;
    };
    expect(config({})).toBe(2 * 24 * H);
    const off = setup(0);
    await off.run(H);
    off.forgetTasks();
    await off.run(10 * 24 * H, 6 * H);
    expect(off.active()).toEqual([]);
  });
});
