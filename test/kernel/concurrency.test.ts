/**
 * One node at a time: two simultaneous actions on different nodes -> exactly one proceeds; the
 * lock is released after success, failure, exception and timeout.
 */
import { describe, expect, it } from 'vitest';
import { err, jarvisError, ok } from '../../src/core/errors.ts';
import { act } from './fixtures.ts';
import { makeHarness } from './harness.ts';

const onPve = act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' });
const onAgent = act('service.restart', { type: 'service', node: 'agent', unit: 'pvestatd' });

describe('node lock', () => {
  it('lets exactly one of two simultaneous actions on different nodes proceed', async () => {
    const h = makeHarness();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.runner.behaviour = async (action) => {
      await gate;
      return ok({ summary: `${action.kind} ok` });
    };
    const both = Promise.all([h.executor.propose(onPve), h.executor.propose(onAgent)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const outcomes = await both;
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['denied', 'done']);
    expect(h.runner.calls).toHaveLength(1);
    expect(h.locks.state(h.clock.now()).held).toEqual([]);
  });

  it('denies a second action while the first still holds its node', async () => {
    const h = makeHarness();
    let release!: () => void;
    h.runner.behaviour = () =>
      new Promise((resolve) => {
        release = () => resolve(ok({ summary: 'ok' }));
      });
    const first = h.executor.propose(onPve);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await h.executor.propose(onAgent);
    expect(second.status === 'denied' && second.reasons.join()).toContain('one node at a time');
    release();
    expect((await first).status).toBe('done');
  });

  it.each([
    ['success', async () => ok({ summary: 'ok' })],
    ['failure', async () => err(jarvisError('TASK_FAILED', 'task failed'))],
    [
      'exception',
      async () => {
        throw new Error('runner bug');
      },
    ],
    ['timeout', () => new Promise<never>(() => undefined)],
  ] as const)('releases the lock after %s', async (_name, behaviour) => {
    const h = makeHarness({ actTimeoutMs: 50 });
    h.runner.behaviour = behaviour;
    await h.executor.propose(onPve);
    expect(h.locks.state(h.clock.now()).held).toEqual([]);
    h.runner.behaviour = async () => ok({ summary: 'ok' });
    expect((await h.executor.propose(onAgent)).status).toBe('done');
  });
});

describe('approval under the node lock', () => {
  it('refuses an approval while another node is busy without burning the ticket', async () => {
    const h = makeHarness();
    const proposed = await h.executor.propose(act('guest.reboot', { type: 'guest', vmid: 101 }));
    if (proposed.status !== 'needs-confirmation') throw new Error('expected a ticket');
    h.locks.tryAcquire({ node: 'agent', holder: 'other', acquiredAt: h.clock.now(), expiresAt: h.clock.now() + 60_000 }, h.clock.now());
    const busy = await h.executor.approve(proposed.approval.id, { id: 'owner', role: 'admin' });
    expect(busy.status === 'denied' && busy.reasons.join()).toContain('one node at a time');
    const stillPending = await h.tickets.get(proposed.approval.id);
    expect(stillPending.ok && stillPending.value?.status).toBe('pending');
    h.locks.release('agent', 'other');
    expect((await h.executor.approve(proposed.approval.id, { id: 'owner', role: 'admin' })).status).toBe('done');
    expect(h.runner.calls).toHaveLength(1);
  });
});
