import { describe, expect, it } from 'vitest';
import { err, jarvisError } from '../../src/core/errors.ts';
import type { AuditLog } from '../../src/core/ports/audit.ts';
import { act, USER } from './fixtures.ts';
import { makeHarness } from './harness.ts';

const restart = act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' });
const reboot = act('guest.reboot', { type: 'guest', vmid: 101 });

describe('guarded executor', () => {
  it('runs a yellow action after its decision row is committed, then records the result and notifies', async () => {
    const h = makeHarness();
    let rowsAtRun = -1;
    h.runner.behaviour = async (action) => {
      const rows = await h.audit.list();
      rowsAtRun = rows.ok ? rows.value.filter((row) => row.kind === 'decision').length : -1;
      return { ok: true, value: { summary: `${action.kind} ok` } };
    };
    const outcome = await h.executor.propose(restart);
    expect(outcome.status).toBe('done');
    expect(rowsAtRun).toBe(1);
    const rows = await h.audit.list();
    expect(rows.ok && rows.value.map((row) => `${row.kind}:${row.verdict ?? row.result}`)).toEqual([
      'decision:allow-notify',
      'result:done: service.restart ok',
    ]);
    expect(h.notified).toEqual(['service.restart ok']);
    expect((await h.audit.verify()).ok).toBe(true);
  });

  it('runs nothing when the audit row cannot be written', async () => {
    const broken: AuditLog = {
      append: async () => err(jarvisError('AUDIT_UNAVAILABLE', 'disk full')),
      list: async () => err(jarvisError('AUDIT_UNAVAILABLE', 'disk full')),
      verify: async () => err(jarvisError('AUDIT_UNAVAILABLE', 'disk full')),
      head: async () => err(jarvisError('AUDIT_UNAVAILABLE', 'disk full')),
    };
    const h = makeHarness({ audit: broken });
    const outcome = await h.executor.propose(restart);
    expect(outcome.status === 'error' && outcome.error.code).toBe('AUDIT_UNAVAILABLE');
    expect(h.runner.calls).toHaveLength(0);
  });

  it('stores a ticket for a red action and runs the exact stored action once on approval', async () => {
    const h = makeHarness();
    const proposed = await h.executor.propose(reboot);
    expect(proposed.status).toBe('needs-confirmation');
    if (proposed.status !== 'needs-confirmation') return;
    expect(h.runner.calls).toHaveLength(0);
    const approved = await h.executor.approve(proposed.approval.id, { id: 'owner', role: 'operator' });
    expect(approved.status).toBe('done');
    expect(h.runner.calls).toEqual([reboot]);
    const again = await h.executor.approve(proposed.approval.id, { id: 'owner', role: 'operator' });
    expect(again.status).toBe('denied');
    expect(h.runner.calls).toHaveLength(1);
    const rows = await h.audit.list();
    expect(rows.ok && rows.value.map((row) => row.kind)).toEqual(['decision', 'decision', 'result', 'ticket']);
  });

  it('refuses approval by a viewer, after expiry, and after a human rejection', async () => {
    const h = makeHarness();
    const first = await h.executor.propose(reboot);
    if (first.status !== 'needs-confirmation') throw new Error('expected a ticket');
    expect((await h.executor.approve(first.approval.id, { id: 'guest', role: 'viewer' })).status).toBe('denied');
    h.clock.advance(5 * 60_000);
    const expired = await h.executor.approve(first.approval.id, { id: 'owner', role: 'admin' });
    expect(expired.status === 'denied' && expired.reasons.join()).toContain('expired');
    const second = await h.executor.propose(reboot);
    if (second.status !== 'needs-confirmation') throw new Error('expected a ticket');
    await h.executor.reject(second.approval.id, { id: 'owner', role: 'admin' }, 'not now');
    expect((await h.executor.approve(second.approval.id, { id: 'owner', role: 'admin' })).status).toBe('denied');
    expect(h.runner.calls).toHaveLength(0);
  });

  it('records a rejection and every refused approval in the audit log', async () => {
    const h = makeHarness();
    const proposed = await h.executor.propose(reboot);
    if (proposed.status !== 'needs-confirmation') throw new Error('expected a ticket');
    await h.executor.reject(proposed.approval.id, { id: 'owner', role: 'admin' }, 'not now');
    await h.executor.approve(proposed.approval.id, { id: 'owner', role: 'admin' });
    const rows = await h.audit.list();
    const ticketRows = rows.ok ? rows.value.filter((row) => row.kind === 'ticket' && row.ticket === proposed.approval.id) : [];
    expect(ticketRows.map((row) => [row.tool, row.verdict, row.result])).toEqual([
      ['reject', 'deny', 'rejected'],
      ['approve', 'deny', 'approval refused'],
    ]);
    expect(ticketRows[0]!.reasons).toEqual(['rejected by owner: not now']);
    expect(ticketRows[0]!.actor).toEqual({ kind: 'user', id: 'owner' });
    const stored = await h.tickets.get(proposed.approval.id);
    expect(stored.ok && stored.value?.status).toBe('rejected');
  });

  it('refuses a ticket whose stored action was altered in the database', async () => {
    const h = makeHarness();
    const proposed = await h.executor.propose(reboot);
    if (proposed.status !== 'needs-confirmation') throw new Error('expected a ticket');
    const row = h.state.prepare('SELECT body FROM tickets WHERE id = ?').get(proposed.approval.id) as { body: string };
    h.state.prepare('UPDATE tickets SET body = ? WHERE id = ?').run(row.body.replace('"vmid":101', '"vmid":105'), proposed.approval.id);
    const approved = await h.executor.approve(proposed.approval.id, { id: 'owner', role: 'admin' });
    expect(approved.status === 'denied' && approved.reasons.join()).toContain('different action');
    expect(h.runner.calls).toHaveLength(0);
  });

  it('re-decides on approval: a freeze set after the proposal refuses the stored action', async () => {
    const h = makeHarness();
    const proposed = await h.executor.propose(reboot);
    if (proposed.status !== 'needs-confirmation') throw new Error('expected a ticket');
    await h.settings.setFreeze({ frozen: true, by: 'owner', at: 0 });
    const approved = await h.executor.approve(proposed.approval.id, { id: 'owner', role: 'admin' });
    expect(approved.status === 'denied' && approved.reasons[0]).toContain('emergency stop');
    expect(h.runner.calls).toHaveLength(0);
  });

  it('reports a no-op without running anything', async () => {
    const h = makeHarness();
    const start = act('guest.start', { type: 'guest', vmid: 101 }, {}, USER);
    const outcome = await h.executor.propose(start);
    expect(outcome.status === 'done' && outcome.noOp).toBe(true);
    expect(h.runner.calls).toHaveLength(0);
  });

  it('returns a runner failure as an error value and records it', async () => {
    const h = makeHarness();
    h.runner.behaviour = async () => err(jarvisError('SSH_UNREACHABLE', 'pve unreachable'));
    const outcome = await h.executor.propose(restart);
    expect(outcome.status === 'error' && outcome.error.code).toBe('SSH_UNREACHABLE');
    const rows = await h.audit.list();
    expect(rows.ok && rows.value.at(-1)?.result).toBe('error: SSH_UNREACHABLE pve unreachable');
  });

  it('rejects malformed actions before deciding', async () => {
    const h = makeHarness();
    const outcome = await h.executor.propose({ ...restart, kind: 'shell.exec' } as never);
    expect(outcome.status === 'error' && outcome.error.code).toBe('INVALID_INPUT');
  });
});

describe('guarded executor wiring', () => {
  it('is usable as the tools layer executor and for the emergency stop', async () => {
    const h = makeHarness();
    const asTools: import('../../src/app/tools/tool-context.ts').ToolExecutor = h.executor;
    const outcome = await asTools.propose(restart, { tool: 'restart_service' });
    expect(outcome.status).toBe('done');
    const { setEmergencyStop } = await import('../../src/app/actions/emergency-stop.ts');
    const deps = { audit: h.audit, settings: h.settings, clock: h.clock };
    expect((await setEmergencyStop(deps, { frozen: true, by: { id: 'op', role: 'operator' } })).ok).toBe(true);
    expect((await h.executor.propose(restart)).status).toBe('denied');
    const notAdmin = await setEmergencyStop(deps, { frozen: false, by: { id: 'op', role: 'operator' } });
    expect(!notAdmin.ok && notAdmin.error.code).toBe('DENIED');
    expect((await setEmergencyStop(deps, { frozen: false, by: { id: 'owner', role: 'admin' } })).ok).toBe(true);
    expect((await h.executor.propose(restart)).status).toBe('done');
    const rows = await h.audit.list();
    expect(rows.ok && rows.value.filter((row) => row.kind === 'setting').length).toBe(2);
  });
});
