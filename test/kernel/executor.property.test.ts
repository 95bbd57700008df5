/**
 * Model-based property suite over the guarded executor with real SQLite stores: random sequences
 * of proposals (some concurrent, some racing an approval), approvals by random roles, freezes and
 * runner faults (failure, exception, hang past the deadline; runners honour the abort signal).
 * Asserts for everything that reached the runner:
 * (a) no Jarvis/protected resource in a disruptive blast radius, (b) never two nodes under
 * operation at once, (c) nothing black, (d) nothing red without a consumed ticket, and
 * (e) the audit chain verifies and each run's decision row was committed before it ran.
 * 850 sequences of 10-30 steps: at least 10,000 proposed actions per run (asserted).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NON_DISRUPTIVE_KINDS, type Action } from '../../src/core/domain/action.ts';
import { effectiveTier } from '../../src/core/domain/tier.ts';
import { err, jarvisError, ok } from '../../src/core/errors.ts';
import { computeBlastRadius } from '../../src/core/safety/blast-radius.ts';
import { hashAction } from '../../src/core/safety/decide.ts';
import { resolveTarget } from '../../src/core/safety/resolve-target.ts';
import { actionArb, snapshotArb } from './arbitraries.ts';
import { TOPOLOGY } from './fixtures.ts';
import { makeHarness } from './harness.ts';

type Step =
  | { op: 'propose'; action: Action }
  | { op: 'pair'; first: Action; second: Action }
  | { op: 'approve'; index: number; role: string }
  | { op: 'race'; index: number; action: Action }
  | { op: 'freeze'; frozen: boolean }
  | { op: 'fault'; mode: 'ok' | 'fail' | 'throw' | 'hang' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: actionArb.map((action) => ({ op: 'propose' as const, action })) },
  { weight: 2, arbitrary: fc.tuple(actionArb, actionArb).map(([first, second]) => ({ op: 'pair' as const, first, second })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ index: fc.nat(6), role: fc.constantFrom('admin', 'operator', 'viewer') })
      .map((approval) => ({ op: 'approve' as const, ...approval })),
  },
  { weight: 1, arbitrary: fc.record({ index: fc.nat(6), action: actionArb }).map((race) => ({ op: 'race' as const, ...race })) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, false).map((frozen) => ({ op: 'freeze' as const, frozen })) },
  { weight: 1, arbitrary: fc.constantFrom('ok', 'fail', 'throw', 'hang').map((mode) => ({ op: 'fault' as const, mode: mode as 'ok' })) },
);

describe('guarded executor properties', () => {
  it('upholds (a)-(e) over random sequences with concurrency and faults', async () => {
    let totalRuns = 0;
    /** Actions proposed across all sequences (the generated cases). */
    let proposed = 0;
    await fc.assert(
      fc.asyncProperty(snapshotArb, fc.array(stepArb, { minLength: 10, maxLength: 30 }), async (snapshot, steps) => {
        const h = makeHarness({ actTimeoutMs: 40 });
        h.setSnapshot(snapshot);
        let mode: 'ok' | 'fail' | 'throw' | 'hang' = 'ok';
        const inFlight = new Set<string>();
        const problems: string[] = [];
        const tickets: string[] = [];
        h.runner.behaviour = async (action, signal) => {
          const hash = hashAction(action);
          const rows = await h.audit.list();
          const decided =
            rows.ok &&
            rows.value.some((row) => row.kind === 'decision' && row.actionHash === hash && (row.verdict === 'allow' || row.verdict === 'allow-notify'));
          if (!decided) problems.push(`(e) ${action.kind} ran without a committed decision row`);
          const resolved = resolveTarget(action, snapshot, TOPOLOGY);
          if (!resolved.ok) problems.push(`unresolvable target ran: ${action.kind}`);
          else if (!NON_DISRUPTIVE_KINDS.has(action.kind)) {
            const blast = computeBlastRadius(action, resolved.target, snapshot, TOPOLOGY);
            if (
              blast.resources.includes('jarvis') ||
              blast.guests.some((vmid) => TOPOLOGY.protected.guests.includes(vmid)) ||
              blast.nodes.some((node) => TOPOLOGY.protected.nodes.includes(node))
            ) {
              problems.push(`(a) ${action.kind} with a protected blast radius ran`);
            }
          }
          const tier = effectiveTier(action.kind, TOPOLOGY.tierOverrides);
          if (tier === 'black') problems.push(`(c) black ${action.kind} ran`);
          if (tier === 'red' || (action.taint?.length ?? 0) > 0) {
            const withTicket =
              rows.ok && rows.value.some((row) => row.kind === 'decision' && row.actionHash === hash && row.ticket !== undefined && row.verdict === 'allow');
            const consumed = await Promise.all(tickets.map((id) => h.tickets.get(id)));
            if (!withTicket || !consumed.some((t) => t.ok && t.value?.actionHash === hash && t.value.status === 'consumed'))
              problems.push(`(d) red ${action.kind} ran without a consumed ticket`);
          }
          // Reads (green diagnostics) take no node lock by design: (b) is about acts only.
          if (action.kind === 'diagnostic.run') {
            totalRuns += 1;
            return ok({ summary: 'read' });
          }
          const node = resolved.ok ? (resolved.target.node ?? '?') : '?';
          inFlight.add(node);
          // The executor abandons a runner at its deadline (aborting it) and releases the lock; a
          // runner that honours the abort has ended from the kernel's point of view.
          signal.addEventListener('abort', () => inFlight.delete(node), { once: true });
          if (inFlight.size > 1) problems.push(`(b) two nodes under operation: ${[...inFlight].join(', ')}`);
          totalRuns += 1;
          try {
            await new Promise((resolve) => setTimeout(resolve, 1));
            if (mode === 'fail') return err(jarvisError('TASK_FAILED', 'fault'));
            if (mode === 'throw') throw new Error('fault');
            if (mode === 'hang') await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
            return ok({ summary: 'ok' });
          } finally {
            inFlight.delete(node);
          }
        };
        const decidedHashes: string[] = [];
        const track = (outcome: Awaited<ReturnType<typeof h.executor.propose>>) => {
          proposed += 1;
          if (outcome.decision) decidedHashes.push(outcome.decision.actionHash);
          if (outcome.status === 'needs-confirmation') tickets.push(outcome.approval.id);
        };
        for (const step of steps) {
          if (step.op === 'propose') track(await h.executor.propose(step.action));
          else if (step.op === 'pair') (await Promise.all([h.executor.propose(step.first), h.executor.propose(step.second)])).forEach(track);
          else if (step.op === 'approve' && tickets.length > 0)
            await h.executor.approve(tickets[step.index % tickets.length]!, { id: 'approver', role: step.role });
          else if (step.op === 'race') {
            // An approval and a new proposal at the same time: still one node at a time.
            const approval = tickets.length > 0 ? h.executor.approve(tickets[step.index % tickets.length]!, { id: 'approver', role: 'admin' }) : undefined;
            track(await h.executor.propose(step.action));
            await approval;
          } else if (step.op === 'freeze') await h.settings.setFreeze({ frozen: step.frozen });
          else if (step.op === 'fault') mode = step.mode;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
        const verdict = await h.audit.verify();
        expect(verdict.ok && verdict.value.ok).toBe(true);
        // (e) every decision the executor answered with has its decision row.
        const rows = await h.audit.list();
        const rowHashes = new Set(rows.ok ? rows.value.filter((row) => row.kind === 'decision').map((row) => row.actionHash) : []);
        expect(decidedHashes.filter((hash) => !rowHashes.has(hash))).toEqual([]);
        expect(problems).toEqual([]);
        expect(h.locks.state(h.clock.now()).held).toEqual([]);
      }),
      { numRuns: 850 },
    );
    // Issue 3 asks for at least 10,000 generated cases per run: count the proposed actions (~11,900 expected).
    expect(proposed).toBeGreaterThanOrEqual(10_000);
    expect(totalRuns).toBeGreaterThan(50);
  });
});
