/**
 * Alerts survive a restart (SQLite alert store, as production): the open incident keeps its id
 * and is not pushed again, acknowledge/resolve work on it, it resolves once when its condition
 * clears (no row left open), and the autonomy cooldown, the one-ticket-per-incident record and
 * the cloud escalation budget hold across the restart. So do the container restart counts of the
 * restart-loop rule, within its window.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionOutcome } from '../../src/app/actions/execution-outcome.ts';
import { createMonitor, type MonitorSettings } from '../../src/app/monitor/monitor.ts';
import { createNotifyDispatcher } from '../../src/app/monitor/notify-dispatcher.ts';
import type { PollResult } from '../../src/app/monitor/poller.ts';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/open-database.ts';
import { SqliteAlertStore } from '../../src/adapters/sqlite/sqlite-alert-store.ts';
import type { Action } from '../../src/core/domain/action.ts';
import { ok } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { instantDispatcher, ManualClock, oneGuestSnapshot, pollerOver, recordingNotifier, scriptedGateway, testSettings } from './monitor-harness.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** One "process": a monitor over the alert database at `file`; `outcome` says what the executor answers. */
function world(settings: Partial<MonitorSettings>, outcome: 'done' | 'ticket') {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-restart-'));
  dirs.push(dir);
  const file = join(dir, 'alerts.db');
  const clock = new ManualClock(T0);
  const phone = recordingNotifier('phone');
  const model = scriptedGateway();
  const proposals: Action[] = [];
  let crashed = false;
  let database: SqliteDatabase | undefined;
  const start = () => {
    database?.close();
    database = openDatabase(file);
    const store = new SqliteAlertStore(database);
    const monitor = createMonitor(
      {
        poller: pollerOver(() => oneGuestSnapshot(clock.now(), crashed)),
        cluster: { clusterTasks: async () => ok([]), rrdData: async () => ok([]) },
        executor: {
          async propose(action) {
            proposals.push(action);
            return outcome === 'done'
              ? ({ status: 'done', summary: 'started', noOp: false } as unknown as ExecutionOutcome)
              : ({
                  status: 'needs-confirmation',
                  approval: { id: `ticket-${proposals.length}`, expiresAt: clock.now() + 300_000, reasons: [], plan: { steps: [] } },
                } as unknown as ExecutionOutcome);
          },
        },
        readFreeze: async () => false,
        gateway: model.gateway,
        store,
        dispatcher: createNotifyDispatcher([phone], { retries: 0, backoffMs: 0, sleep: async () => undefined, now: () => clock.now(), logger: silentLogger }),
        clock,
        logger: silentLogger,
      },
      testSettings({ sshNodes: [], dockerHosts: [], ...settings }),
    );
    return { monitor, store };
  };
  let current = start();
  return {
    clock,
    phone,
    model,
    proposals,
    get monitor() {
      return current.monitor;
    },
    get store() {
      return current.store;
    },
    setCrashed: (value: boolean) => (crashed = value),
    async restart() {
      await current.monitor.stop();
      current = start();
    },
    async run(ms: number) {
      for (let t = 0; t < ms; t += 10_000) {
        clock.advance(10_000);
        const poll: PollResult = { ok: true, version: 1, snapshot: oneGuestSnapshot(clock.now(), crashed), events: [], durationMs: 1, at: clock.now() };
        await current.monitor.evaluate(poll);
        await current.monitor.analysisTick();
        await current.monitor.notificationsIdle();
      }
    },
    close: () => database?.close(),
  };
}

describe('the monitor across a restart', () => {
  it('keeps an open incident (same id, no second push), answers commands on it, and resolves it once', async () => {
    const w = world({ autonomy: { enabled: false, cooldownMs: 0, maxPerHour: 0 }, analysisEnabled: false }, 'done');
    await w.run(10_000);
    w.setCrashed(true);
    await w.run(30_000);
    const before = w.monitor.list({ status: 'active' });
    expect(before.map((alert) => alert.rule)).toEqual(['guest-crashed']);
    await w.restart();
    await w.run(120_000);
    const after = w.monitor.list({ status: 'active' });
    expect(after.map((alert) => alert.id)).toEqual([before[0]!.id]);
    expect(w.phone.sent.filter((n) => n.kind === 'alert')).toHaveLength(1);
    expect((await w.monitor.command(before[0]!.id, { kind: 'acknowledge', by: 'user:admin' }))?.state).toBe('acknowledged');
    w.setCrashed(false);
    await w.run(120_000);
    expect(w.monitor.list({ status: 'active' })).toEqual([]);
    expect(w.store.list({ status: 'active' })).toEqual([]);
    expect(w.phone.sent.map((n) => n.kind)).toEqual(['alert', 'resolve']);
    w.close();
  });

  it('the autonomy cooldown holds across a restart: no extra attempt', async () => {
    const w = world({ analysisEnabled: false }, 'done');
    await w.run(10_000);
    w.setCrashed(true);
    await w.run(10_000);
    expect(w.proposals).toHaveLength(1);
    await w.restart();
    await w.run(10 * 60_000); // well inside the 30 min cooldown
    expect(w.proposals).toHaveLength(1);
    await w.run(25 * 60_000); // past it: the next attempt
    expect(w.proposals).toHaveLength(2);
    w.close();
  });

  it('one ticket per incident holds across a restart, and so does the cloud escalation of an alert', async () => {
    const w = world({ escalation: { enabled: true, minSeverity: 'critical', afterMs: 60_000, maxPerDay: 5 } }, 'ticket');
    await w.run(10_000);
    w.setCrashed(true);
    await w.run(10 * 60_000);
    expect(w.proposals).toHaveLength(1);
    const cloud = () => w.model.calls.filter((call) => call.provider === 'cloud').length;
    expect(cloud()).toBe(1);
    await w.restart();
    await w.run(60 * 60_000);
    expect(w.proposals).toHaveLength(1);
    expect(w.phone.sent.filter((n) => n.kind === 'ticket')).toHaveLength(1);
    expect(cloud()).toBe(1);
    w.close();
  });
});

/** One container `docker@103/kuma` whose restart count the test sets; a monitor over the alert database that the test restarts. */
function containerWorld() {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-restart-loop-'));
  dirs.push(dir);
  const clock = new ManualClock(T0);
  const container = { restartCount: 0 };
  const summary = { id: 'c1', name: 'kuma', image: 'louislam/uptime-kuma', state: 'running', status: 'Up', created: 0, labels: {} };
  const docker = {
    listContainers: async () => ok([summary]),
    inspectContainer: async () => ok({ ...summary, running: true, restartCount: container.restartCount }),
  };
  let database: SqliteDatabase | undefined;
  const start = () => {
    database?.close();
    database = openDatabase(join(dir, 'alerts.db'));
    return createMonitor(
      {
        poller: pollerOver(() => oneGuestSnapshot(clock.now(), false)),
        cluster: { clusterTasks: async () => ok([]), rrdData: async () => ok([]) },
        docker,
        readFreeze: async () => false,
        store: new SqliteAlertStore(database),
        dispatcher: instantDispatcher([recordingNotifier('phone')], clock),
        clock,
        logger: silentLogger,
      },
      testSettings({ sshNodes: [], dockerHosts: ['docker@103'], analysisEnabled: false, autonomy: { enabled: false, cooldownMs: 0, maxPerHour: 0 } }),
    );
  };
  let monitor = start();
  return {
    clock,
    container,
    /** One 10 s poll and evaluation (the containers are read on each: containersEveryMs 10 s). */
    async step() {
      clock.advance(10_000);
      await monitor.evaluate({ ok: true, version: 1, snapshot: oneGuestSnapshot(clock.now(), false), events: [], durationMs: 1, at: clock.now() });
    },
    loops: () => monitor.list({ status: 'active' }).filter((alert) => alert.rule === 'container-restart-loop'),
    async restart() {
      await monitor.stop();
      monitor = start();
    },
    close: () => database?.close(),
  };
}

describe('the container restart-loop rule across a restart', () => {
  it('still sees a loop whose restarts span a Jarvis restart (3 restarts in the 10 min window: 2 before, 1 after)', async () => {
    const w = containerWorld();
    await w.step();
    for (const count of [1, 2]) {
      w.container.restartCount = count;
      await w.step();
    }
    expect(w.loops()).toEqual([]);
    await w.restart();
    w.container.restartCount = 3;
    await w.step();
    expect(w.loops().map((alert) => [alert.target, alert.facts['restarts']])).toEqual([['container:docker@103/kuma', 3]]);
    w.close();
  });

  it('does not use a history saved longer than the window ago: restarts during a long downtime cannot be placed in the window', async () => {
    const w = containerWorld();
    await w.step();
    // Down for an hour; the container restarted 3 times at some point in it and is steady now.
    w.clock.advance(60 * 60_000);
    w.container.restartCount = 3;
    await w.restart();
    await w.step();
    await w.step();
    expect(w.loops()).toEqual([]);
    w.close();
  });
});
