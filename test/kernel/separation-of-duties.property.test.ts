/**
 * Issue 8, separation of duties: for any ticket and any approver, an approver that is a token, or
 * that is the ticket's own proposer, is refused — outside the inline confirmation by the proposing
 * human (hash-bound, and refused too under the two-person rule). Pure rule + the executor over it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { separationOfDutiesProblem } from '../../src/app/actions/separation-of-duties.ts';
import type { Actor } from '../../src/core/domain/action.ts';
import { act } from './fixtures.ts';
import { makeHarness } from './harness.ts';

const names = fc.constantFrom('alice', 'bob', 'admin', 'claude', 'qwen');
const requesterArb: fc.Arbitrary<Actor> = fc.oneof(
  names.map((id) => ({ kind: 'user' as const, id })),
  names.map((modelId) => ({ kind: 'model' as const, modelId })),
  names.map((rule) => ({ kind: 'monitor' as const, rule })),
  names.map((clientId) => ({ kind: 'mcp-client' as const, clientId })),
);
const approverArb = fc.record({ id: names, role: fc.constantFrom('admin', 'operator'), kind: fc.constantFrom('user' as const, 'token' as const) });
const HASH = 'a'.repeat(64);

describe('separation of duties (property)', () => {
  it('refuses tokens and self-approval for any ticket; inline only for the proposing human, hash-bound, not under the two-person rule', () => {
    fc.assert(
      fc.property(
        requesterArb,
        approverArb,
        fc.option(fc.constantFrom(HASH, 'b'.repeat(64)), { nil: undefined }),
        fc.boolean(),
        (requester, approver, inlineHash, twoPersonRule) => {
          const ticket = { id: 't1', requester, actionHash: HASH };
          const problem = separationOfDutiesProblem(ticket, approver, { twoPersonRule, ...(inlineHash ? { inline: { actionHash: inlineHash } } : {}) });
          const own = requester.kind === 'user' && requester.id === approver.id;
          if (approver.kind === 'token') expect(problem?.code).toBe('FORBIDDEN');
          else if (!inlineHash) expect(problem === undefined).toBe(!own);
          else if (!own || twoPersonRule) expect(problem?.code).toBe('FORBIDDEN');
          else expect(problem?.code).toBe(inlineHash === HASH ? undefined : 'TICKET_INVALID');
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('holds in the executor: refused approvals run nothing, are audited, and leave the ticket pending', async () => {
    const h = makeHarness();
    const stop = act('guest.stop', { type: 'guest', vmid: 101 }, {}, { kind: 'user', id: 'alice' });
    const proposed = await h.executor.propose(stop);
    if (proposed.status !== 'needs-confirmation') throw new Error('expected a ticket');
    for (const approver of [
      { id: 'alice', role: 'admin', kind: 'user' as const },
      { id: 'bob', role: 'admin', kind: 'token' as const },
    ]) {
      const refused = await h.executor.approve(proposed.approval.id, approver);
      expect(refused).toMatchObject({ status: 'denied', code: 'FORBIDDEN' });
    }
    // Each refusal is audited under the approver's own name, in the one naming scheme (not 'user:user:alice').
    const listed = await h.audit.list({ limit: 50 });
    const refusals = (listed.ok ? listed.value : []).filter((row) => row.kind === 'ticket' && row.result === 'approval refused');
    expect(refusals.map((row) => row.actor)).toEqual(
      expect.arrayContaining([
        { kind: 'user', id: 'alice' },
        { kind: 'mcp-client', clientId: 'bob' },
      ]),
    );
    expect(refusals).toHaveLength(2);
    const ticket = await h.tickets.get(proposed.approval.id);
    expect(ticket.ok && ticket.value?.status).toBe('pending');
    expect(h.runner.calls).toHaveLength(0);
    const approved = await h.executor.approve(proposed.approval.id, { id: 'bob', role: 'operator', kind: 'user' });
    expect(approved.status).toBe('done');
    const closed = await h.tickets.get(proposed.approval.id);
    expect(closed.ok && closed.value).toMatchObject({ status: 'consumed', closedBy: 'user:bob', closedAt: expect.any(Number) });
  });

  it('inline confirmation by the proposing human with the right hash runs it (two-person rule off)', async () => {
    const h = makeHarness();
    const stop = act('guest.stop', { type: 'guest', vmid: 101 }, {}, { kind: 'user', id: 'alice' });
    const proposed = await h.executor.propose(stop);
    if (proposed.status !== 'needs-confirmation') throw new Error('expected a ticket');
    const inline = await h.executor.approve(
      proposed.approval.id,
      { id: 'alice', role: 'operator', kind: 'user' },
      { inline: { actionHash: proposed.approval.actionHash ?? '' } },
    );
    expect(inline.status).toBe('done');
  });
});
