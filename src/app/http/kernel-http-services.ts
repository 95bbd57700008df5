import type { JarvisError, Result } from '../../core/errors.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { ActionOutcomeDto, EventDto, ServerMessage } from '../../protocol/index.ts';
import { actorOf, type Principal } from '../auth/roles.ts';
import { watchTasks } from '../ws/task-watch.ts';
import type { ActionService, ApprovalsService, AuditQuery } from './http-deps.ts';
import { auditEntryDto } from './kernel-dto.ts';
import { auditLogQuery, executorActionService, ticketApprovalsService, type KernelServicesDeps } from './kernel-service-factories.ts';

/**
 * The three kernel-backed HTTP services in one call, for create-jarvis:
 * `const kernel = kernelHttpServices({ executor, tickets, audit, clock, publish: (m) => hub?.publish(m) })`
 * then pass `kernel.actions`, `kernel.approvals`, `kernel.audit` in HttpServerDeps (and
 * `kernel.approvals` to createWsHub). Pushed to WS clients: approval-request / approval-resolve,
 * task-end for a finished PVE task, and audit-append for every audit row written meanwhile.
 */
export function kernelHttpServices(input: {
  executor: KernelServicesDeps['executor'];
  tickets: KernelServicesDeps['tickets'];
  audit: Pick<AuditLog, 'list' | 'head'>;
  clock: Clock;
  publish?: (message: ServerMessage) => void;
  /** When given, PVE tasks are followed while an action runs (task-start / task-end on the hub). */
  cluster?: Pick<ClusterApi, 'clusterTasks'>;
  /** When given, each outcome becomes an events-feed entry (source `action`), also published. */
  appendEvent?: (event: Omit<EventDto, 'id'>) => EventDto;
}): { actions: ActionService; approvals: ApprovalsService; audit: AuditQuery } {
  const publish = input.publish ?? (() => undefined);
  let auditSeen: number | undefined;
  /** Publishes audit rows appended since the last call (bounded: at most 200 per call). */
  async function publishNewAudit(): Promise<void> {
    if (auditSeen === undefined) {
      const head = await input.audit.head();
      auditSeen = head.ok ? Math.max(0, head.value.count - 10) : 0;
    }
    const rows = await input.audit.list({ afterSeq: auditSeen, limit: 200 });
    if (!rows.ok) return;
    for (const record of rows.value) {
      auditSeen = Math.max(auditSeen, record.seq);
      publish({ type: 'audit-append', payload: auditEntryDto(record) });
    }
  }
  void publishNewAudit();
  const deps: KernelServicesDeps = {
    executor: input.executor,
    tickets: input.tickets,
    clock: input.clock,
    onApproval: (kind, approval) => publish({ type: kind === 'request' ? 'approval-request' : 'approval-resolve', payload: approval }),
  };
  /** One events-feed line per outcome: who asked for what, and what the kernel said. */
  function recordEvent(result: Result<ActionOutcomeDto, JarvisError>, what: string, who: Principal, vmid?: number): void {
    if (!input.appendEvent) return;
    const by = actorOf(who);
    const base = { at: input.clock.now(), source: 'action' as const, ...(vmid !== undefined ? { vmid } : {}) };
    let event: Omit<EventDto, 'id'>;
    if (!result.ok) event = { ...base, type: 'action-failed', severity: 'warning', summary: `${what} by ${by} failed: ${result.error.code}` };
    else {
      const outcome = result.value;
      if (outcome.status === 'done') event = { ...base, type: 'action-done', severity: 'info', summary: `${what} by ${by}: ${outcome.message}` };
      else if (outcome.status === 'needs-confirmation') event = { ...base, type: 'approval-requested', severity: 'warning', summary: `${what} by ${by} needs approval (ticket ${outcome.approval.id})` };
      else if (outcome.status === 'denied') event = { ...base, type: 'action-denied', severity: 'warning', summary: `${what} by ${by} denied: ${outcome.reasons[0] ?? 'no reason given'}` };
      else event = { ...base, type: 'action-failed', severity: 'warning', summary: `${what} by ${by} failed: ${outcome.error.code} ${outcome.error.message}` };
    }
    publish({ type: 'event', payload: input.appendEvent(event) });
  }
  const afterOutcome = async (result: Result<ActionOutcomeDto, JarvisError>): Promise<Result<ActionOutcomeDto, JarvisError>> => {
    if (result.ok && result.value.status === 'done' && result.value.task) publish({ type: 'task-end', payload: result.value.task });
    await Promise.all([publishNewAudit(), approvals.refreshCount()]);
    return result;
  };
  const actions = executorActionService(deps);
  const approvals = ticketApprovalsService(deps);
  void approvals.refreshCount();
  /** Runs `work` with a task watch around it (tasks started from 5 s before now). */
  async function watched<T>(work: () => Promise<T>): Promise<T> {
    const cluster = input.cluster;
    if (!cluster) return work();
    const watch = watchTasks(cluster, publish, { sinceSeconds: Math.floor(input.clock.now() / 1000) - 5 });
    try {
      return await work();
    } finally {
      await watch.stop();
    }
  }
  return {
    actions: {
      propose: async (request, actor) => {
        const result = await afterOutcome(await watched(() => actions.propose(request, actor)));
        recordEvent(result, `${request.kind} vm ${request.vmid}`, actor, request.vmid);
        return result;
      },
      confirm: async (request, by) => {
        const result = await afterOutcome(await watched(() => actions.confirm!(request, by)));
        recordEvent(result, `inline confirmation of ticket ${request.ticketId}`, by);
        return result;
      },
    },
    approvals: {
      list: (status) => approvals.list(status),
      approve: async (id, approver) => {
        const result = await afterOutcome(await watched(() => approvals.approve(id, approver)));
        recordEvent(result, `approval of ticket ${id}`, approver);
        return result;
      },
      reject: async (id, by, reason) => {
        const result = await approvals.reject(id, by, reason);
        await Promise.all([publishNewAudit(), approvals.refreshCount()]);
        return result;
      },
      pendingCount: () => approvals.pendingCount(),
    },
    audit: auditLogQuery(input.audit),
  };
}
