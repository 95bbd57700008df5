import type { JarvisError, Result } from '../../core/errors.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { ActionOutcomeDto, ServerMessage } from '../../protocol/index.ts';
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
    actions: { propose: async (request, actor) => afterOutcome(await watched(() => actions.propose(request, actor))) },
    approvals: {
      list: (status) => approvals.list(status),
      approve: async (id, approver) => afterOutcome(await watched(() => approvals.approve(id, approver))),
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
