/**
 * The kernel's values as the wire shapes of src/protocol: tasks, blast radius, tickets as
 * approval cards, and the executor's outcome. Pure; one small function per shape. The executor
 * builds its outcome with these, so the outcome it returns is already the wire's.
 */
import { describeTarget } from '../../core/domain/action.ts';
import type { TaskStatus } from '../../core/ports/cluster.ts';
import type { BlastRadius, Decision, Ticket } from '../../core/safety/decision.ts';
import { ActionOutcomeSchema, type ActionOutcome, type ApprovalDto, type BlastRadiusDto, type TaskDto } from '../../protocol/index.ts';
import { auditPrincipal } from '../events/publishing-audit-log.ts';
import type { ExecutionOutcome } from './execution-outcome.ts';

export function blastRadiusDto(blast: BlastRadius): BlastRadiusDto {
  const items = [
    ...blast.nodes.map((node) => ({ kind: 'node', id: node })),
    ...blast.guests.map((vmid) => ({ kind: 'guest', id: String(vmid) })),
    ...blast.containers.map((container) => ({ kind: 'container', id: container })),
    ...blast.services.map((service) => ({ kind: 'service', id: service })),
  ];
  const quorum = blast.quorumAfter;
  return {
    items,
    ...(blast.selfChain && blast.selfChain.length > 0 ? { selfChain: [...blast.selfChain] } : {}),
    summary: `votes lost ${blast.votesLost}; quorum after: ${quorum.votesOnline}/${quorum.votesNeeded} needed${quorum.quorate ? '' : ' (NOT quorate)'}`,
  };
}

export function taskDto(task: TaskStatus): TaskDto {
  const vmid = Number(task.id);
  return {
    upid: task.upid,
    node: task.node,
    type: task.type,
    ...(Number.isInteger(vmid) && vmid >= 100 ? { vmid } : {}),
    status: task.status,
    ...(task.exitstatus !== undefined ? { exitstatus: task.exitstatus } : {}),
    ...(task.succeeded !== undefined ? { succeeded: task.succeeded } : {}),
    startedAt: task.starttime * 1000,
  };
}

/**
 * A ticket (with the decision that a fresh re-plan gives) as an approvals-queue card. The target
 * is the decision's label (`CT 207`, `VM 103`: the guest's kind in the snapshot it decided on).
 */
export function approvalDto(
  ticket: Pick<Ticket, 'id' | 'action' | 'createdAt' | 'expiresAt' | 'requester' | 'blastRadius'> & { readonly actionHash?: string | undefined },
  decision: Decision | undefined,
  status: ApprovalDto['status'] = 'pending',
): ApprovalDto {
  const target = decision?.targetLabel ?? describeTarget(ticket.action.target);
  const actionHash = ticket.actionHash ?? decision?.actionHash;
  return {
    id: ticket.id,
    createdAt: ticket.createdAt,
    expiresAt: ticket.expiresAt,
    status,
    requestedBy: auditPrincipal(ticket.requester),
    action: ticket.action.kind,
    target,
    tier: decision?.tier ?? 'red',
    reasons: [...(decision?.reasons ?? [])],
    blastRadius: blastRadiusDto(decision?.blastRadius ?? ticket.blastRadius),
    plan: {
      steps: [decision?.preview.summary ?? `${ticket.action.kind} ${target}`],
      ...(decision?.preview.manualSteps ? { warnings: [...decision.preview.manualSteps] } : {}),
    },
    ...(actionHash !== undefined ? { actionHash } : {}),
  };
}

/**
 * The executor's outcome as it goes on the wire: the same object without the server-only fields
 * (the Decision, an error's details and cause). No field is renamed: the assignment below is the
 * compile-time proof that an ExecutionOutcome is an ActionOutcome.
 */
export function wireOutcome(outcome: ExecutionOutcome): ActionOutcome {
  const wire: ActionOutcome = outcome;
  const parsed = ActionOutcomeSchema.safeParse(wire);
  if (parsed.success) return parsed.data;
  return {
    status: 'error',
    error: {
      code: 'INTERNAL',
      message: `the executor's outcome did not match the wire contract: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      retryable: false,
    },
  };
}

/** The plan preview of a needs-confirmation outcome, as one line (the approval card's steps). */
export function previewOf(approval: Pick<ApprovalDto, 'plan'>): string {
  return approval.plan.steps.join('; ');
}
