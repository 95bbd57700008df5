/**
 * The monitor loop with fakes and an injected clock: adaptive analysis cadence with a scripted
 * model (calm hour: 0 cloud calls, <= calm cadence of local calls; an incident raises the
 * cadence, a resolve lowers it), autonomy (one attempt per cooldown, red becomes a ticket plus a
 * notification, freeze respected, timeline rows), and a broken channel that never stops the loop.
 */
import { describe, expect, it } from 'vitest';
import { createMonitor, type MonitorSettings } from '../../src/app/monitor/monitor.ts';
import { MemoryAlertStore } from '../doubles/in-memory-alert-store.ts';
import { createNotifyDispatcher } from '../../src/app/monitor/notify-dispatcher.ts';
import type { PollResult } from '../../src/app/monitor/poller.ts';
import type { ExecutionOutcome } from '../../src/app/actions/execution-outcome.ts';
import type { Action } from '../../src/core/domain/action.ts';
import { ok } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { ManualClock, oneGuestSnapshot, pollerOver, recordingNotifier, scriptedGateway, testSettings, tinyBus } from './monitor-harness.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0);

function setup(options: { settings?: Partial<MonitorSettings>; frozen?: () => boolean; failPhone?: boolean } = {}) {
  const clock = new ManualClock(T0);
  let crashed = false;
  const model = scriptedGateway();
  const phone = recordingNotifier('phone', () => options.failPhone === true);
  const proposals: Action[] = [];
  const bus = tinyBus();
  const executor = {
    async propose(action: Action): Promise<ExecutionOutcome> {
      proposals.push(action);
      const ticketId = `ticket-${proposals.length}`;
      bus.publish('ticket.opened', {
        ticketId,
        actionHash: 'h',
        kind: action.kind,
        summary: action.kind,
        requestedBy: 'monitor:guest-crashed',
        expiresAt: clock.now() + 300_000,
        at: clock.now(),
      });
      return {
        status: 'needs-confirmation',
        approval: { id: ticketId, expiresAt: clock.now() + 300_000, reasons: [], plan: { steps: [action.kind] } },
        decision: { actionHash: 'h', tier: 'red' },
      } as unknown as ExecutionOutcome;
    },
  };
  const store = new MemoryAlertStore();
  const monitor = createMonitor(
    {
      poller: pollerOver(() => oneGuestSnapshot(clock.now(), crashed)),
      bus,
      cluster: { clusterTasks: async () => ok([]), rrdData: async () => ok([]) },
      executor,
      readFreeze: async () => options.frozen?.() ?? false,
      gateway: model.gateway,
      store,
      dispatcher: createNotifyDispatcher([phone], { retries: 2, backoffMs: 1, sleep: async () => undefined, now: () => clock.now(), logger: silentLogger }),
      clock,
      logger: silentLogger,
    },
    testSettings({ sshNodes: [], dockerHosts: [], ...options.settings }),
  );
  const poll = (): PollResult => ({ ok: true, version: 1, snapshot: oneGuestSnapshot(clock.now(), crashed), events: [], durationMs: 1, at: clock.now() });
  return {
    clock,
    model,
    phone,
    proposals,
    monitor,
    store,
    setCrashed: (value: boolean) => (crashed = value),
    /** Advances `ms` in 10 s polls, evaluating and giving the analysis its chance each time. */
    async run(ms: number) {
      for (let t = 0; t < ms; t += 10_000) {
        clock.advance(10_000);
        await monitor.evaluate(poll());
        await monitor.analysisTick();
        await monitor.notificationsIdle();
      }
    },
  };
}

const local = (calls: { provider?: string | undefined }[]) => calls.filter((call) => call.provider !== 'cloud').length;

describe('adaptive analysis with a scripted model', () => {
  it('a calm hour: 0 cloud calls and at most the calm cadence of local calls (12/h at 5 min)', async () => {
    const h = setup();
    await h.run(3_600_000);
    expect(h.model.calls.filter((call) => call.provider === 'cloud')).toHaveLength(0);
    expect(local(h.model.calls)).toBeLessThanOrEqual(12);
  });

  it('an incident raises the cadence (30 s, backing off), a resolve lowers it back to calm', async () => {
    const h = setup({ settings: { autonomy: { enabled: false, cooldownMs: 0, maxPerHour: 0 } } });
    await h.run(60_000);
    expect(h.monitor.stats().cadence.intervalMs).toBe(300_000);
    h.setCrashed(true);
    await h.run(10_000);
    expect(h.model.calls).toHaveLength(1);
    expect(h.model.calls[0]).toMatchObject({ purpose: 'monitor-analysis', class: 'background', provider: 'local' });
    expect(h.model.calls[0]!.messages[0]!.content).toContain('<cluster_data source="monitor:guest-crashed"');
    const alert = h.monitor.list({ status: 'active' })[0]!;
    expect(alert.analysis?.text).toContain('Likely cause');
    expect(h.monitor.stats().cadence.intervalMs).toBeLessThan(300_000);
    // While it persists the analysis backs off: far fewer calls than one per 30 s over 10 minutes.
    await h.run(600_000);
    expect(local(h.model.calls)).toBeLessThanOrEqual(1 + 600_000 / 30_000);
    expect(h.model.calls.every((call) => call.class === 'background')).toBe(true);
    h.setCrashed(false);
    await h.run(120_000);
    expect(h.monitor.list({ status: 'active' })).toEqual([]);
    expect(h.monitor.stats().cadence.intervalMs).toBe(300_000);
    const before = h.model.calls.length;
    await h.run(3_600_000);
    expect(h.model.calls.length).toBe(before);
    expect(h.model.calls.filter((call) => call.provider === 'cloud')).toHaveLength(0);
  });

  it('the cloud is called only by an explicit escalation rule, once per alert', async () => {
    const h = setup({
      settings: {
        escalation: { enabled: true, minSeverity: 'critical', afterMs: 300_000, maxPerDay: 5 },
        autonomy: { enabled: false, cooldownMs: 0, maxPerHour: 0 },
      },
    });
    await h.run(10_000);
    h.setCrashed(true);
    await h.run(3_600_000);
    expect(h.model.calls.filter((call) => call.provider === 'cloud')).toHaveLength(1);
  });
});

describe('autonomy through the executor', () => {
  it('a red remedy becomes one ticket and one notification with the approval link per incident, however long it persists; all in the timeline', async () => {
    const h = setup();
    await h.run(10_000);
    h.setCrashed(true);
    await h.run(3_600_000);
    // 1 h of an open incident (cooldown 30 min): one ticket, not one per cooldown.
    expect(h.proposals.map((p) => [p.kind, p.actor])).toEqual([['guest.start', { kind: 'monitor', rule: 'guest-crashed' }]]);
    const tickets = h.phone.sent.filter((n) => n.kind === 'ticket');
    expect(tickets.map((n) => [n.url, n.severity])).toEqual([['http://127.0.0.1:8080/#approval-ticket-1', 'critical']]);
    const alert = h.monitor.list({ status: 'active' })[0]!;
    const timeline = h.monitor.detail(alert.id)!.timeline.map((entry) => entry.kind);
    expect(timeline.filter((kind) => kind === 'ticket')).toHaveLength(1);
    expect(timeline).toContain('opened');
    expect(timeline).toContain('analysis');
    expect(h.phone.sent.filter((n) => n.kind === 'alert')).toHaveLength(1);
    // The incident clears and comes back: a new incident of the same alert may ask again, once.
    h.setCrashed(false);
    await h.run(120_000);
    h.setCrashed(true);
    await h.run(600_000);
    expect(h.proposals).toHaveLength(2);
    expect(h.phone.sent.filter((n) => n.kind === 'ticket').map((n) => n.url)).toEqual([
      'http://127.0.0.1:8080/#approval-ticket-1',
      'http://127.0.0.1:8080/#approval-ticket-2',
    ]);
  });

  it('the emergency stop and an acknowledged alert mean no attempt', async () => {
    let isFrozen = true;
    const h = setup({ frozen: () => isFrozen });
    await h.run(10_000);
    h.setCrashed(true);
    await h.run(600_000);
    expect(h.proposals).toEqual([]);
    const alert = h.monitor.list({ status: 'active' })[0]!;
    expect(h.monitor.detail(alert.id)!.timeline.some((entry) => entry.kind === 'act-skipped' && entry.message.includes('emergency stop'))).toBe(true);
    // Acknowledged by a human, then the emergency stop is lifted: still no attempt while acknowledged.
    expect((await h.monitor.command(alert.id, { kind: 'acknowledge', by: 'user:admin' }))?.state).toBe('acknowledged');
    isFrozen = false;
    await h.run(3_600_000);
    expect(h.proposals).toEqual([]);
    // The same alert open again (not acknowledged) would be attempted: the acknowledgement is what held it.
    const reopened = setup({ frozen: () => false });
    await reopened.run(10_000);
    reopened.setCrashed(true);
    await reopened.run(10_000);
    expect(reopened.proposals).toHaveLength(1);
  });
});

describe('a failing channel', () => {
  it('is retried, recorded in the timeline and the channel status, and the monitor keeps evaluating', async () => {
    const h = setup({ failPhone: true, settings: { autonomy: { enabled: false, cooldownMs: 0, maxPerHour: 0 } } });
    await h.run(10_000);
    h.setCrashed(true);
    await h.run(60_000);
    const alert = h.monitor.list({ status: 'active' })[0]!;
    expect(h.monitor.detail(alert.id)!.timeline.find((entry) => entry.kind === 'notify-failed')?.message).toContain('after 3 attempts');
    expect(h.monitor.channels()[0]).toMatchObject({ channel: 'phone', failed: 1, retries: 2 });
    h.setCrashed(false);
    await h.run(120_000);
    expect(h.monitor.list({ status: 'active' })).toEqual([]);
    expect(h.monitor.stats().evaluations).toBe(19);
  });
});
