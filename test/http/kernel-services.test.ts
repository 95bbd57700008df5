import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteAuditLog } from '../../src/adapters/sqlite/sqlite-audit-log.ts';
import { SqliteSettingsStore } from '../../src/adapters/sqlite/sqlite-settings-store.ts';
import { SqliteTicketStore } from '../../src/adapters/sqlite/sqlite-ticket-store.ts';
import { createGuardedExecutor } from '../../src/app/actions/execute-action.ts';
import { InMemoryNodeLocks } from '../doubles/in-memory-node-locks.ts';
import type { ActionRunner } from '../../src/app/actions/action-runner.ts';
import { auditLogQuery, executorActionService, ticketApprovalsService } from '../../src/app/http/kernel-services.ts';
import { approvalDto } from '../../src/app/http/kernel-dto.ts';
import { createEventBus } from '../../src/app/events/event-bus.ts';
import { connectHubFeed } from '../../src/app/events/hub-feed.ts';
import { publishingAuditLog } from '../../src/app/events/publishing-audit-log.ts';
import { RecentEventLog } from '../../src/app/events/recent-event-log.ts';
import { createTaskTracker } from '../../src/app/tasks/task-tracker.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { SEED_TOPOLOGY } from '../../src/core/domain/topology.ts';
import { ok } from '../../src/core/errors.ts';
import type { ServerMessage } from '../../src/protocol/index.ts';
import { sampleSnapshot, TestClock } from './test-server.ts';

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

function kernel() {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-kernel-http-'));
  const clock = new TestClock();
  const bus = createEventBus(silentLogger);
  const audit = publishingAuditLog(unwrap(SqliteAuditLog.open(join(dir, 'audit.db'))), bus);
  const tickets = unwrap(SqliteTicketStore.open(join(dir, 'state.db')));
  const settings = unwrap(SqliteSettingsStore.open(join(dir, 'settings.db')));
  const runs: string[] = [];
  const runner: ActionRunner = {
    async doRun(action) {
      runs.push(`${action.kind} ${JSON.stringify(action.target)}`);
      return ok({
        summary: `${action.kind} done`,
        task: {
          upid: 'UPID:pve:1',
          node: 'pve',
          type: 'qmstop',
          id: '101',
          user: 'jarvis@pve',
          starttime: 1_700_000_000,
          status: 'stopped' as const,
          exitstatus: 'OK',
          succeeded: true,
        },
      });
    },
  };
  let nextId = 0;
  const executor = createGuardedExecutor({
    readSnapshot: async () => ok(sampleSnapshot()),
    topology: SEED_TOPOLOGY,
    locks: new InMemoryNodeLocks(),
    audit,
    tickets,
    settings,
    runner,
    clock,
    newId: () => `ticket-${++nextId}`,
    events: bus,
  });
  const deps = { executor, tickets, clock };
  const published: ServerMessage[] = [];
  const events = new RecentEventLog();
  const approvals = ticketApprovalsService(deps);
  // The dashboard's side of the bus, as create-jarvis wires it (the PVE task list comes from a fake /cluster/tasks).
  connectHubFeed({
    events: bus,
    publish: (message) => published.push(message),
    appendEvent: (event) => events.append(event),
    approvalOf: async (ticketId, status) => {
      const found = await tickets.get(ticketId);
      return found.ok && found.value ? approvalDto(found.value, undefined, status) : undefined;
    },
    settings: () => ({ aiEnabled: true }),
    onTicketsChanged: () => void approvals.refreshCount(),
  });
  const task = {
    upid: 'UPID:pve:1',
    node: 'pve',
    type: 'qmstop',
    id: '101',
    user: 'jarvis@pve',
    starttime: 1_700_000_000,
    endtime: 1_700_000_001,
    status: 'OK',
  };
  createTaskTracker({
    cluster: { clusterTasks: async () => ok(runs.length > 0 ? [task] : []) },
    events: bus,
    clock,
    logger: silentLogger,
    refresh: () => undefined,
  });
  const approvalsSeen = () =>
    published.flatMap((message) =>
      message.type === 'approval-request' || message.type === 'approval-resolve' ? [{ kind: message.type, approval: message.payload }] : [],
    );
  return { published, audit, clock, runs, approvalsSeen, actions: executorActionService(deps), approvals, auditQuery: auditLogQuery(audit, 2) };
}

const operator = { kind: 'user', name: 'operator', role: 'operator', credentialId: 'x' } as const;
const viewer = { kind: 'user', name: 'viewer', role: 'viewer', credentialId: 'y' } as const;
/** Another human: nobody approves their own proposal (issue 8). */
const secondOperator = { kind: 'user', name: 'operator2', role: 'operator', credentialId: 'z' } as const;

describe('HTTP services over the real kernel (guarded executor, SQLite tickets and audit)', () => {
  it('denies stopping the management VM with the chain, and runs nothing', async () => {
    const { actions, runs } = kernel();
    const outcome = unwrap(await actions.propose({ kind: 'guest.stop', vmid: 103 }, operator));
    expect(outcome.status).toBe('denied');
    if (outcome.status === 'denied') expect(outcome.reasons.join(' ')).toMatch(/103/);
    expect(runs).toEqual([]);
  });

  it('turns a red stop into an approval with blast radius and plan; a viewer cannot approve it; an operator runs it once', async () => {
    const { actions, approvals, runs, approvalsSeen } = kernel();
    const outcome = unwrap(await actions.propose({ kind: 'guest.stop', vmid: 101, expectedName: 'web01' }, operator));
    expect(outcome.status).toBe('needs-confirmation');
    if (outcome.status !== 'needs-confirmation') return;
    const ticket = outcome.approval;
    expect(ticket).toMatchObject({ action: 'guest.stop', target: 'VM 101', status: 'pending', requestedBy: 'user:operator' });
    expect(ticket.blastRadius.items).toContainEqual({ kind: 'guest', id: '101' });
    expect(ticket.plan.steps[0]).toMatch(/101/);
    await settled();
    expect(approvalsSeen().map((seen) => seen.kind)).toEqual(['approval-request']);

    const listed = unwrap(await approvals.list('pending'));
    expect(listed.map((item) => item.id)).toEqual([ticket.id]);
    expect(listed[0]?.tier).toBe('red');

    const refused = await approvals.approve(ticket.id, viewer);
    expect(runs).toEqual([]);
    expect(refused.ok ? refused.value.status : 'error').not.toBe('done');

    const approved = unwrap(await approvals.approve(ticket.id, secondOperator));
    expect(approved.status).toBe('done');
    expect(runs).toHaveLength(1);
    const again = await approvals.approve(ticket.id, secondOperator);
    expect(again.ok && again.value.status === 'done').toBe(false);
    expect(runs).toHaveLength(1);
  });

  it('rejects a ticket, and pages the audit log newest first with filters', async () => {
    const { actions, approvals, auditQuery } = kernel();
    const first = unwrap(await actions.propose({ kind: 'guest.reboot', vmid: 101 }, operator));
    if (first.status !== 'needs-confirmation') throw new Error(first.status);
    const rejected = unwrap(await approvals.reject(first.approval.id, operator, 'not now'));
    expect(rejected.status).toBe('rejected');
    expect((await approvals.reject(first.approval.id, operator, 'twice')).ok).toBe(false);
    // A token rejecting is named as a token, in the one naming scheme (was 'user:<token name>').
    const second = unwrap(await actions.propose({ kind: 'guest.reboot', vmid: 101 }, operator));
    if (second.status !== 'needs-confirmation') throw new Error(second.status);
    const token = { kind: 'token', name: 'desktop', role: 'operator', credentialId: 't' } as const;
    expect(unwrap(await approvals.reject(second.approval.id, token, 'no'))).toMatchObject({ status: 'rejected', resolvedBy: 'token:desktop' });
    await actions.propose({ kind: 'guest.stop', vmid: 103 }, operator);

    const page = unwrap(await auditQuery.page({ limit: 2 }));
    expect(page.entries).toHaveLength(2);
    expect(page.entries[0]!.seq).toBeGreaterThan(page.entries[1]!.seq);
    expect(page.entries[0]).toMatchObject({ actor: 'user:operator', verdict: 'deny', action: 'guest.stop', target: 'VM 103' });
    const next = unwrap(await auditQuery.page({ limit: 50, before: page.nextBefore! }));
    expect(next.entries.every((entry) => entry.seq < page.entries[1]!.seq)).toBe(true);
    expect(next.nextBefore).toBeNull();
    const denied = unwrap(await auditQuery.page({ limit: 50, verdict: 'deny' }));
    expect(denied.entries.length).toBeGreaterThanOrEqual(1);
    expect(denied.entries.every((entry) => entry.verdict === 'deny')).toBe(true);
  });

  it('the executor, audit log and task tracker publish approval-request/resolve, task-end and every new audit row to the hub', async () => {
    const { actions, approvals, published, runs } = kernel();
    const outcome = unwrap(await actions.propose({ kind: 'guest.stop', vmid: 101 }, operator));
    if (outcome.status !== 'needs-confirmation') throw new Error(outcome.status);
    await settled();
    expect(approvals.pendingCount()).toBe(1);
    const approved = unwrap(await approvals.approve(outcome.approval.id, secondOperator));
    expect(approved).toMatchObject({ status: 'done', task: { upid: 'UPID:pve:1', vmid: 101, succeeded: true } });
    expect(runs).toHaveLength(1);
    await settled();
    const types = published.map((message) => message.type);
    expect(types.filter((type) => type.startsWith('approval-'))).toEqual(['approval-request', 'approval-resolve']);
    expect(published.find((message) => message.type === 'approval-resolve')?.payload).toMatchObject({ status: 'executed', resolvedBy: 'user:operator2' });
    expect(types).toContain('task-end');
    const auditSeqs = published.flatMap((message) => (message.type === 'audit-append' ? [message.payload.seq] : []));
    expect(auditSeqs.length).toBeGreaterThanOrEqual(3); // decision (ticket), approval decision, result
    expect(new Set(auditSeqs).size).toBe(auditSeqs.length); // each row once
    expect(auditSeqs).toEqual([...auditSeqs].sort((a, b) => a - b));
    expect(approvals.pendingCount()).toBe(0);
    const feed = published.flatMap((message) => (message.type === 'event' ? [message.payload] : []));
    expect(feed.map((event) => [event.type, event.source])).toEqual([
      ['approval-requested', 'action'],
      ['action-done', 'action'],
    ]);
    expect(feed[0]?.summary).toMatch(/guest.stop guest 101 by user:operator needs approval/);
  });
});

/** Lets the bus subscribers' own reads (ticket lookups, task list) finish. */
async function settled(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await new Promise((resolve) => setImmediate(resolve));
}
