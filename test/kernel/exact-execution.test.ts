/**
 * Issue 8, exact execution: the runner acts on exactly the target the kernel resolved (node, VMID,
 * type) from the one snapshot it decided on, and refuses — audited — when the live identity
 * changed in between; it never re-resolves.
 */
import { describe, expect, it } from 'vitest';
import { guestPowerRunner } from '../../src/app/actions/pve-runners.ts';
import { ok } from '../../src/core/errors.ts';
import type { GuestActuator } from '../../src/core/ports/cluster.ts';
import { makeHarness } from './harness.ts';
import { act, USER } from './fixtures.ts';

function fakeActuator(calls: string[]): GuestActuator {
  return {
    doPowerAction: async (node, type, vmid, action) => {
      calls.push(`${action} ${type}/${vmid}@${node}`);
      return ok({ upid: `UPID:${node}:1`, node });
    },
    waitForTask: async (task) => ok({ upid: task.upid, node: task.node, type: 'qmstart', id: '1', user: 'root@pam', starttime: 1, status: 'stopped', exitstatus: 'OK', succeeded: true }),
  };
}

describe('exact execution', () => {
  it('runs on the resolved node/VMID/type with one live identity read, never a snapshot re-read', async () => {
    const calls: string[] = [];
    let snapshotReads = 0;
    const live: string[] = [];
    const runner = guestPowerRunner(fakeActuator(calls), async () => { snapshotReads += 1; return undefined; }, {
      liveGuest: async (node, type, vmid) => { live.push(`${type}/${vmid}@${node}`); return { name: 'db01', status: 'stopped' }; },
    });
    const h = makeHarness({ wrapRunner: () => runner });
    const outcome = await h.executor.propose(act('guest.start', { type: 'guest', vmid: 102 }, {}, USER));
    expect(outcome.status).toBe('needs-confirmation'); // guest.start is red
    if (outcome.status !== 'needs-confirmation') return;
    const approved = await h.executor.approve(outcome.ticketId, { id: 'second-admin', role: 'admin', kind: 'user' });
    expect(approved.status).toBe('done');
    expect(calls).toEqual(['start qemu/102@agent']);
    expect(live).toEqual(['qemu/102@agent']);
    expect(snapshotReads).toBe(0);
  });

  it('refuses, and audits, when the guest was renamed or moved after the decision', async () => {
    for (const liveAnswer of [{ name: 'evil-twin', status: 'stopped' }, undefined]) {
      const calls: string[] = [];
      const runner = guestPowerRunner(fakeActuator(calls), async () => undefined, { liveGuest: async () => liveAnswer });
      const h = makeHarness({ wrapRunner: () => runner });
      const proposed = await h.executor.propose(act('guest.start', { type: 'guest', vmid: 102 }, {}, USER));
      if (proposed.status !== 'needs-confirmation') throw new Error('expected a ticket');
      const approved = await h.executor.approve(proposed.ticketId, { id: 'second-admin', role: 'admin', kind: 'user' });
      expect(approved.status).toBe('denied');
      expect(approved.status === 'denied' && approved.reasons[0]).toMatch(/identity changed since the decision.*refused, not re-resolved/);
      expect(calls).toEqual([]);
      const rows = await h.audit.list({ afterSeq: 0, limit: 50 });
      expect(rows.ok && rows.value.some((row) => row.kind === 'result' && /error: DENIED identity changed/.test(row.result ?? ''))).toBe(true);
    }
  });
});
