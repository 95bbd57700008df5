/**
 * Alerts survive a restart (SQLite alert store, as production): the open incident keeps its id
 * and is not pushed again, acknowledge/resolve work on it, it resolves once when its condition
 * clears (no row left open), and the autonomy cooldown, the one-ticket-per-incident record and
 * the cloud escalation budget hold across the restart.
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
import { ManualClock, oneGuestSnapshot, pollerOver, recordingNotifier, scriptedGateway, testSettings } from './monitor-harness.ts';

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
