import { describe, expect, it } from 'vitest';
import { routeRunners } from '../../src/app/actions/action-runner.ts';
import type { Action } from '../../src/core/domain/action.ts';
import { makeHarness } from './harness.ts';

const user = { kind: 'user', id: 'owner' } as const;
const onlyStop = {
  wrapRunner: (runner: Parameters<NonNullable<Parameters<typeof makeHarness>[0]>['wrapRunner'] & {}>[0]) => routeRunners({ 'guest.stop': runner }),
};

describe('guarded executor: action kinds this setup cannot run', () => {
  it('refuses a red kind with no runner up front (no ticket a human would approve in vain), audited as deny', async () => {
    const h = makeHarness(onlyStop);
    const migrate: Action = { kind: 'guest.migrate', target: { type: 'guest', vmid: 101 }, params: { targetNode: 'agent' }, actor: user, reason: 'test' };
    const outcome = await h.executor.propose(migrate);
    expect(outcome.status).toBe('denied');
    expect(outcome.status === 'denied' ? outcome.reasons.join(' ') : '').toMatch(/no executor for guest\.migrate/);
    const rows = await h.audit.list();
    expect(rows.ok ? rows.value.at(-1) : undefined).toMatchObject({ kind: 'decision', verdict: 'deny' });
    expect(rows.ok ? rows.value.at(-1)?.ticket : 'x').toBeUndefined();
    expect(h.runner.calls).toEqual([]);
  });

  it('still sends a supported red kind for approval, and runs it once approved', async () => {
    const h = makeHarness(onlyStop);
    const stop: Action = { kind: 'guest.stop', target: { type: 'guest', vmid: 101 }, params: {}, actor: user, reason: 'test' };
    const pending = await h.executor.propose(stop);
    expect(pending.status).toBe('needs-confirmation');
    if (pending.status !== 'needs-confirmation') return;
    expect((await h.executor.approve(pending.approval.id, { id: 'second-admin', role: 'admin' })).status).toBe('done');
    expect(h.runner.calls.map((action) => action.kind)).toEqual(['guest.stop']);
  });
});
