/** The executor's outcome names the audit rows that record it (what the monitor's alert timeline links to). */
import { describe, expect, it } from 'vitest';
import { act } from './fixtures.ts';
import { makeHarness } from './harness.ts';

describe('outcome audit seq', () => {
  it('a run names its result row (auditSeq) and its decision row; a ticket and a denial name the decision row', async () => {
    const h = makeHarness();
    const ran = await h.executor.propose(act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' }));
    const ticket = await h.executor.propose(act('guest.reboot', { type: 'guest', vmid: 101 }));
    const denied = await h.executor.propose(act('node.reboot', { type: 'node', node: 'pve' }));
    const rows = await h.audit.list();
    if (!rows.ok) throw new Error(rows.error.message);
    const bySeq = new Map(rows.value.map((row) => [row.seq, row]));
    expect(ran.status).toBe('done');
    expect(bySeq.get(ran.auditSeq!)).toMatchObject({ kind: 'result', result: expect.stringMatching(/^done/) });
    expect(bySeq.get(ran.decisionSeq!)).toMatchObject({ kind: 'decision', verdict: 'allow-notify', actionHash: bySeq.get(ran.auditSeq!)!.actionHash });
    expect(ticket.status).toBe('needs-confirmation');
    expect(ticket.auditSeq).toBe(ticket.decisionSeq);
    expect(bySeq.get(ticket.auditSeq!)).toMatchObject({
      kind: 'decision',
      verdict: 'needs-confirmation',
      ticket: ticket.status === 'needs-confirmation' ? ticket.approval.id : '',
    });
    expect(denied.status).toBe('denied');
    expect(bySeq.get(denied.auditSeq!)).toMatchObject({ kind: 'decision', verdict: 'deny' });
  });
});
