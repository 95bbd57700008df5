/**
 * A dead notification channel never stalls the monitor: notifications go out through a bounded
 * outbox in the background. With an injected sleep that never returns until released (a channel
 * in its retry backoff), evaluations complete, remediation runs, and the outcome reaches the
 * timeline once the channel gives up. A full queue drops the oldest delivery, logged and counted.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionOutcome } from '../../src/app/actions/execution-outcome.ts';
import { createMonitor } from '../../src/app/monitor/monitor.ts';
import { createNotifyDispatcher } from '../../src/app/monitor/notify-dispatcher.ts';
import { createNotifyOutbox } from '../../src/app/monitor/notify-outbox.ts';
import { monitorSettingsFromConfig } from '../../src/cli/compose/monitor-from-config.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { PollResult } from '../../src/app/monitor/poller.ts';
import type { Action } from '../../src/core/domain/action.ts';
import { ok } from '../../src/core/errors.ts';
import type { Logger } from '../../src/core/ports/logger.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { MemoryAlertStore } from '../doubles/in-memory-alert-store.ts';
import type { Notifier } from '../../src/core/ports/notifier.ts';
import { instantDispatcher, ManualClock, oneGuestSnapshot, pollerOver, recordingNotifier, testSettings, tinyBus } from './monitor-harness.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0);

/** Lets every pending callback and I/O turn run (no wall-clock deadline involved). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('notifications are off the evaluation path', () => {
  it('an evaluation completes and remediation runs while a send sits in its retry backoff', async () => {
    const clock = new ManualClock(T0);
    let crashed = false;
    const releases: (() => void)[] = [];
    // The channel always fails with a retryable error; each backoff waits until the test releases it.
    const phone = recordingNotifier('phone', () => true);
    const dispatcher = createNotifyDispatcher([phone], {
      retries: 3,
      backoffMs: 2_000,
      sleep: () => new Promise<void>((resolve) => releases.push(resolve)),
      now: () => clock.now(),
      logger: silentLogger,
    });
    const proposals: Action[] = [];
    const monitor = createMonitor(
      {
        poller: pollerOver(() => oneGuestSnapshot(clock.now(), crashed)),
        cluster: { clusterTasks: async () => ok([]), rrdData: async () => ok([]) },
        executor: {
          async propose(action) {
            proposals.push(action);
            return { status: 'done', summary: 'started', noOp: false } as unknown as ExecutionOutcome;
          },
        },
        readFreeze: async () => false,
        store: new MemoryAlertStore(),
        dispatcher,
        clock,
        logger: silentLogger,
      },
      testSettings({ sshNodes: [], dockerHosts: [], analysisEnabled: false }),
    );
    const poll = (): PollResult => ({ ok: true, version: 1, snapshot: oneGuestSnapshot(clock.now(), crashed), events: [], durationMs: 1, at: clock.now() });
    clock.advance(10_000);
    await monitor.evaluate(poll());
    crashed = true;
    clock.advance(10_000);
    let evaluated = false;
    const run = monitor.evaluate(poll()).then(() => (evaluated = true));
    await settle();
    expect(evaluated).toBe(true);
    await run;
    expect(proposals.map((action) => action.kind)).toEqual(['guest.start']);
    expect(phone.attempts).toBe(1);
    expect(releases).toHaveLength(1);
    expect(monitor.stats().notificationsPending).toBe(1);
    // More evaluations while the send still waits: none of them waits for it.
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      await monitor.evaluate(poll());
    }
    expect(monitor.stats().evaluations).toBe(5);
    // The channel gives up after its retries; the outcome reaches the alert's timeline.
    while (releases.length > 0 || phone.attempts < 4) {
      releases.shift()?.();
      await settle();
    }
    await monitor.notificationsIdle();
    const alert = monitor.list({ status: 'active' })[0]!;
    expect(monitor.detail(alert.id)!.timeline.find((entry) => entry.kind === 'notify-failed')?.message).toContain('after 4 attempts');
    expect(monitor.stats().notificationsPending).toBe(0);
  });
});

describe('the outbox', () => {
  it('is bounded per channel: the oldest waiting delivery is dropped, logged and counted; other channels are not held up', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_fields: unknown, message?: string) => void warnings.push(String(message)) } as Logger;
    const gates: (() => void)[] = [];
    const delivered: string[] = [];
    const outbox = createNotifyOutbox(
      {
        async dispatch(deliveries) {
          const [delivery] = deliveries;
          if (delivery!.channel === 'dead') await new Promise<void>((resolve) => gates.push(resolve));
          delivered.push(`${delivery!.channel}:${delivery!.notification.title}`);
          return [{ delivery: delivery!, ok: true, attempts: 1 }];
        },
      },
      { capacity: 2, logger, onOutcome: () => undefined },
    );
    const note = (title: string) => ({ kind: 'alert' as const, severity: 'warning' as const, title, body: title });
    outbox.enqueue(['a', 'b', 'c', 'd', 'e'].map((title) => ({ channel: 'dead', notification: note(title) })));
    outbox.enqueue([{ channel: 'dashboard', notification: note('x') }]);
    await settle();
    // 'a' is in flight; of b..e only the newest 2 wait.
    expect(outbox.stats()).toEqual({ pending: 3, dropped: 2 });
    expect(warnings.filter((message) => message.startsWith('notification dropped'))).toHaveLength(2);
    expect(delivered).toEqual(['dashboard:x']);
    while (gates.length > 0) {
      gates.shift()!();
      await settle();
    }
    await outbox.idle();
    expect(delivered).toEqual(['dashboard:x', 'dead:a', 'dead:d', 'dead:e']);
  });
});

describe('monitor.notify.outboxLimit', () => {
  /** The monitor's settings from a config file with `notify` (a channel `phone`, plus the always-routed dashboard). */
  const settingsFrom = (notify: string) => {
    const loaded = loadConfig({
      argv: ['--config', 'jarvis.yaml'],
      env: { JARVIS_DATA_DIR: '/nonexistent-data' },
      cwd: '/',
      readFile: () => `monitor:\n  notify:\n    channels:\n      phone: { type: ntfy, url: "https://ntfy.example", topic: jarvis }\n${notify}`,
    });
    if (!loaded.ok) throw new Error(loaded.error.message);
    return monitorSettingsFromConfig(loaded.value.config, [])!;
  };

  it('defaults to 100 deliveries waiting per channel', () => {
    expect(settingsFrom('').notifyQueueLimit).toBe(100);
  });

  it('a configured limit bounds each channel queue of the monitor: past it the oldest waiting push is dropped and counted', async () => {
    const settings = settingsFrom('    outboxLimit: 2\n');
    expect(settings.notifyQueueLimit).toBe(2);
    const clock = new ManualClock(T0);
    const gates: (() => void)[] = [];
    const sent: string[] = [];
    // A phone channel that holds each send until the test releases it.
    const phone: Notifier = {
      channel: 'phone',
      type: 'test',
      async send(notification) {
        await new Promise<void>((resolve) => gates.push(resolve));
        sent.push(notification.title);
        return ok(undefined);
      },
    };
    const dashboard = recordingNotifier('dashboard');
    const bus = tinyBus();
    const monitor = createMonitor(
      {
        poller: pollerOver(() => oneGuestSnapshot(clock.now(), false)),
        bus,
        cluster: { clusterTasks: async () => ok([]), rrdData: async () => ok([]) },
        readFreeze: async () => false,
        store: new MemoryAlertStore(),
        dispatcher: instantDispatcher([phone, dashboard], clock),
        clock,
        logger: silentLogger,
      },
      settings,
    );
    // Five tickets a person asked for, at once: each is pushed on its own (critical) to the phone and the dashboard.
    for (let n = 1; n <= 5; n++)
      bus.publish('ticket.opened', {
        ticketId: `t${n}`,
        actionHash: `h${n}`,
        kind: 'guest.stop',
        summary: `stop ${n}`,
        requestedBy: 'user:admin',
        expiresAt: clock.now() + 300_000,
        at: clock.now(),
      });
    await settle();
    // Per channel t1 went to its worker and of t2..t5 only the newest 2 waited: 2 dropped on each.
    // The dashboard has sent its three; the phone holds t1 in flight and t4, t5 waiting.
    expect(monitor.stats()).toMatchObject({ notificationsPending: 3, notificationsDropped: 4 });
    expect(dashboard.sent.map((notification) => notification.ticketId)).toEqual(['t1', 't4', 't5']);
    while (gates.length > 0) {
      gates.shift()!();
      await settle();
    }
    await monitor.notificationsIdle();
    expect(sent).toEqual(['Approval needed: stop 1', 'Approval needed: stop 4', 'Approval needed: stop 5']);
  });
});
