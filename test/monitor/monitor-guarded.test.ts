/**
 * The autonomy loop through the GUARDED executor, composed as production composes it
 * (buildExecutor: kernel + SQLite tickets, emergency stop and hash-chained audit; runners over the
 * wire to the embedded simulator; buildMonitor on top). A yellow remedy runs and is audited with
 * actor `monitor`; a red remedy becomes a stored ticket plus a notification and nothing runs; a
 * never-act target is refused by the kernel with the refusal on the alert's timeline; the
 * emergency stop stops every autonomous act. Every timeline entry of an attempt carries the seq
 * of its audit row, and that row is the monitor's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/core/audit/audit-record.ts';
import type { AlertTimelineEntry } from '../../src/core/ports/alerts.ts';
import { timelineAuditSeq } from '../../src/protocol/alerts.ts';
import { startSimMonitor, type SimMonitor } from './sim-harness.ts';

const POLL = 10_000;
/** The owner's never-act list names Jarvis's own VM and node (config `safety.neverAct`). */
const NEVER_ACT_SELF = 'safety:\n  neverAct:\n    nodes: [agent1]\n    guests: [103]\n';

let harness: SimMonitor | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<SimMonitor> {
  harness = await startSimMonitor({ guarded: true, configYaml: NEVER_ACT_SELF });
  for (let i = 0; i < 2; i++) await harness.step(POLL);
  expect(harness.monitor.list({ status: 'active' })).toEqual([]);
  return harness;
}

async function stepUntil(h: SimMonitor, done: () => boolean, maxSteps = 12): Promise<void> {
  for (let i = 0; i < maxSteps && !done(); i++) await h.step(POLL);
  expect(done()).toBe(true);
}

async function auditRows(h: SimMonitor): Promise<AuditRecord[]> {
  const rows = await h.kernel!.audit.list();
  if (!rows.ok) throw new Error(rows.error.message);
  return rows.value;
}

function timelineOf(h: SimMonitor, rule: string): AlertTimelineEntry[] {
  const alert = h.monitor.list({ status: 'all' }).find((entry) => entry.rule === rule);
  return alert ? h.monitor.detail(alert.id)!.timeline : [];
}

const monitorActor = (rule: string) => ({ kind: 'monitor', rule });

describe('the monitor through the guarded executor (production composition, simulator over the wire)', () => {
  it('a yellow remedy runs: the unit is restarted over PVE, audited as actor monitor, linked from the timeline by seq, and the alert resolves', async () => {
    const h = await start();
    expect(h.sim.world.applyFault({ kind: 'service-failed', node: 'pve', service: 'pveproxy' }).error).toBeUndefined();
    await stepUntil(h, () => timelineOf(h, 'unit-failed').some((entry) => entry.kind === 'act'));
    const act = timelineOf(h, 'unit-failed').find((entry) => entry.kind === 'act')!;
    expect(act.message).toContain('service.restart ran');
    const rows = await auditRows(h);
    const seq = timelineAuditSeq(act);
    expect(seq).toBeDefined();
    const result = rows.find((row) => row.seq === seq)!;
    expect(result).toMatchObject({ kind: 'result', actor: monitorActor('unit-failed') });
    expect(result.result).toMatch(/^done/);
    const decision = rows.find((row) => row.seq === act.data?.['decisionSeq'])!;
    expect(decision).toMatchObject({
      kind: 'decision',
      verdict: 'allow-notify',
      tier: 'yellow',
      actor: monitorActor('unit-failed'),
      target: expect.stringContaining('service.restart'),
    });
    expect(decision.actionHash).toBe(result.actionHash);
    // The restart really happened in the simulated cluster: the unit is active, and the alert clears.
    await stepUntil(h, () => h.monitor.list({ status: 'active' }).every((alert) => alert.rule !== 'unit-failed'));
    expect((await h.kernel!.audit.verify()).ok).toBe(true);
  });

  it('a red remedy becomes a stored ticket and one notification with the approval link; nothing runs', async () => {
    const h = await start();
    h.scenario('guest-crash');
    await stepUntil(h, () => timelineOf(h, 'guest-crashed').some((entry) => entry.kind === 'ticket'));
    await h.step(POLL);
    const entry = timelineOf(h, 'guest-crashed').find((line) => line.kind === 'ticket')!;
    const ticketId = String(entry.data?.['ticketId']);
    const ticket = await h.kernel!.tickets.get(ticketId);
    expect(ticket.ok && ticket.value).toMatchObject({ status: 'pending', requester: monitorActor('guest-crashed'), action: { kind: 'guest.start' } });
    const rows = await auditRows(h);
    expect(rows.find((row) => row.seq === timelineAuditSeq(entry))).toMatchObject({
      kind: 'decision',
      verdict: 'needs-confirmation',
      tier: 'red',
      ticket: ticketId,
      actor: monitorActor('guest-crashed'),
    });
    // No result row: nothing ran, and the guest is still stopped.
    expect(rows.filter((row) => row.kind === 'result')).toEqual([]);
    expect(h.sim.world.guest(102)?.status).toBe('stopped');
    const ticketNotes = h.phone.sent.filter((note) => note.kind === 'ticket');
    expect(ticketNotes).toHaveLength(1);
    expect(ticketNotes[0]!.url).toBe(`http://127.0.0.1:8080/#approval-${ticketId}`);
  });

  it('never-act targets (VM 103, agent1) are refused by the kernel, the refusal is audited and on the timeline, and nothing runs', async () => {
    const h = await start();
    expect(h.sim.world.applyFault({ kind: 'service-failed', node: 'agent1', service: 'pveproxy' }).error).toBeUndefined();
    expect(h.sim.world.applyFault({ kind: 'guest-crash', vmid: 103 }).error).toBeUndefined();
    await stepUntil(h, () => ['unit-failed', 'guest-crashed'].every((rule) => timelineOf(h, rule).some((entry) => entry.kind === 'act-denied')));
    const rows = await auditRows(h);
    for (const [rule, reason] of [
      ['unit-failed', 'node agent1 is on the never-act list'],
      ['guest-crashed', 'VMID 103 is on the never-act list'],
    ] as const) {
      const denied = timelineOf(h, rule).find((entry) => entry.kind === 'act-denied')!;
      expect(denied.message).toContain(reason);
      expect(rows.find((row) => row.seq === timelineAuditSeq(denied))).toMatchObject({
        kind: 'decision',
        verdict: 'deny',
        actor: monitorActor(rule),
        reasons: expect.arrayContaining([reason]),
      });
    }
    expect(rows.filter((row) => row.kind === 'result')).toEqual([]);
    expect(h.sim.world.guest(103)?.status).toBe('stopped');
  });

  it('the emergency stop stops every autonomous act: no proposal reaches the kernel, the skip is on the timeline', async () => {
    const h = await start();
    expect((await h.kernel!.settingsStore.setFreeze({ frozen: true, by: 'user:owner', at: h.clock.now(), reason: 'test' })).ok).toBe(true);
    expect(h.sim.world.applyFault({ kind: 'service-failed', node: 'pve', service: 'pveproxy' }).error).toBeUndefined();
    h.scenario('guest-crash');
    await stepUntil(h, () => ['unit-failed', 'guest-crashed'].every((rule) => timelineOf(h, rule).some((entry) => entry.kind === 'act-skipped')));
    for (const rule of ['unit-failed', 'guest-crashed']) {
      expect(timelineOf(h, rule).find((entry) => entry.kind === 'act-skipped')!.message).toContain('emergency stop');
    }
    expect(h.proposals).toEqual([]);
    expect(await auditRows(h)).toEqual([]);
    expect(h.phone.sent.filter((note) => note.kind === 'ticket')).toEqual([]);
    // Lifting the stop lets the next attempt through the kernel.
    expect((await h.kernel!.settingsStore.setFreeze({ frozen: false, by: 'user:owner', at: h.clock.now() })).ok).toBe(true);
    await stepUntil(h, () => h.proposals.length > 0);
    expect(h.proposals.every((action) => action.actor.kind === 'monitor')).toBe(true);
  });
});
