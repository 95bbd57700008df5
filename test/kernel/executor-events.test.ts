import { describe, expect, it } from 'vitest';
import { act } from './fixtures.ts';
import { makeHarness } from './harness.ts';

const reboot = act('guest.reboot', { type: 'guest', vmid: 101 });
const restart = act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' });

describe('guarded executor: domain events, published where the facts happen', () => {
  it('publishes decided + ticket opened for a red proposal, then approved, started and finished on approval', async () => {
    const h = makeHarness();
    const proposed = await h.executor.propose(reboot);
    if (proposed.status !== 'needs-confirmation') throw new Error('expected a ticket');
    expect(h.events.map((event) => event.name)).toEqual(['proposal.decided', 'ticket.opened']);
    const opened = h.events[1];
    expect(opened?.name === 'ticket.opened' && opened.payload).toMatchObject({
      ticketId: proposed.approval.id,
      kind: 'guest.reboot',
      requestedBy: 'model:qwen',
      expiresAt: proposed.approval.expiresAt,
    });
    await h.executor.approve(proposed.approval.id, { id: 'owner', role: 'operator' });
    expect(h.events.map((event) => event.name)).toEqual(['proposal.decided', 'ticket.opened', 'ticket.approved', 'action.started', 'action.finished']);
    const finished = h.events[4];
    expect(finished?.name === 'action.finished' && finished.payload).toMatchObject({
      kind: 'guest.reboot',
      ok: true,
      actor: 'model:qwen',
      message: 'guest.reboot ok',
    });
    const approved = h.events[2];
    expect(approved?.name === 'ticket.approved' && approved.payload).toMatchObject({ approvedBy: 'user:owner', requestedBy: 'model:qwen' });
  });

  it('publishes no start/finish for a refused approval, and ticket.rejected on rejection', async () => {
    const h = makeHarness();
    const proposed = await h.executor.propose(reboot);
    if (proposed.status !== 'needs-confirmation') throw new Error('expected a ticket');
    await h.executor.approve(proposed.approval.id, { id: 'someone', role: 'viewer' });
    await h.executor.reject(proposed.approval.id, { id: 'owner', role: 'admin' }, 'not now');
    expect(h.events.map((event) => event.name)).toEqual(['proposal.decided', 'ticket.opened', 'ticket.rejected']);
    const rejected = h.events[2];
    expect(rejected?.name === 'ticket.rejected' && rejected.payload).toMatchObject({
      ticketId: proposed.approval.id,
      rejectedBy: 'user:owner',
      reason: 'not now',
    });
  });

  it('reports a failed run as action.finished with ok false and the error code', async () => {
    const h = makeHarness();
    h.runner.behaviour = async () => ({ ok: false, error: { code: 'PVE_UNREACHABLE', message: 'down', retryable: true } as never });
    await h.executor.propose(restart);
    const finished = h.events.find((event) => event.name === 'action.finished');
    expect(finished?.name === 'action.finished' && finished.payload).toMatchObject({ ok: false, kind: 'service.restart' });
    expect(finished?.name === 'action.finished' && finished.payload.message).toContain('PVE_UNREACHABLE');
    expect(h.notified).toEqual([]);
  });
});
