/**
 * Mappers from the kernel's types (core/safety, core/audit, app/actions) to the wire DTOs of
 * src/protocol. Pure; one small function per shape.
 */
import { describeTarget, type Action } from '../../core/domain/action.ts';
import type { AuditRecord } from '../../core/audit/audit-record.ts';
import { auditPrincipal } from '../events/publishing-audit-log.ts';
import type { TaskStatus } from '../../core/ports/cluster.ts';
import type { BlastRadius, Decision, Ticket } from '../../core/safety/decision.ts';
import type { ExecutionOutcome } from '../actions/execution-outcome.ts';
import type { ActionOutcomeDto, ApprovalDto, AuditEntryDto, BlastRadiusDto, TaskDto } from '../../protocol/index.ts';

/** `user:admin`, `model:qwen`, `monitor:disk-full`, `token:desktop`, `system:cli`: the one naming scheme (principalOf). */
export const actorLabel = auditPrincipal;

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

/** A ticket (with the decision that a fresh re-plan gives) as an approvals-queue entry. */
export function approvalDto(ticket: Pick<Ticket, 'id' | 'action' | 'createdAt' | 'expiresAt' | 'requester' | 'blastRadius'> & { readonly actionHash?: string | undefined }, decision: Decision | undefined, status: ApprovalDto['status'] = 'pending'): ApprovalDto {
  return {
    id: ticket.id,
    createdAt: ticket.createdAt,
    expiresAt: ticket.expiresAt,
    status,
    requestedBy: actorLabel(ticket.requester),
    action: ticket.action.kind,
    target: describeTarget(ticket.action.target),
    tier: decision?.tier ?? 'red',
    reasons: [...(decision?.reasons ?? [])],
    blastRadius: blastRadiusDto(decision?.blastRadius ?? ticket.blastRadius),
    plan: {
      steps: [decision?.preview.summary ?? `${ticket.action.kind} ${describeTarget(ticket.action.target)}`],
      ...(decision?.preview.manualSteps ? { warnings: [...decision.preview.manualSteps] } : {}),
    },
    ...((ticket.actionHash ?? decision?.actionHash) !== undefined ? { actionHash: ticket.actionHash ?? decision?.actionHash } : {}),
  };
}

/** The executor's outcome as the HTTP answer; `now` stamps a new ticket's creation. */
export function actionOutcomeDto(outcome: ExecutionOutcome, action: Action, now: number): ActionOutcomeDto {
  switch (outcome.status) {
    case 'done':
      return { status: 'done', noop: outcome.noOp, message: outcome.summary, ...(outcome.task ? { task: taskDto(outcome.task) } : {}) };
    case 'needs-confirmation':
      return {
        status: 'needs-confirmation',
        approval: approvalDto({ id: outcome.ticketId, action, createdAt: now, expiresAt: outcome.expiresAt, requester: action.actor, blastRadius: outcome.decision.blastRadius, actionHash: outcome.decision.actionHash }, outcome.decision),
      };
    case 'denied':
      return { status: 'denied', reasons: [...outcome.reasons], ...(outcome.decision ? { blastRadius: blastRadiusDto(outcome.decision.blastRadius) } : {}) };
    case 'error':
      return { status: 'error', error: { code: outcome.error.code, message: outcome.error.message, retryable: outcome.error.retryable, ...(outcome.error.hint ? { hint: outcome.error.hint } : {}) } };
  }
}

export function auditEntryDto(record: AuditRecord): AuditEntryDto {
  const [first = '', ...rest] = (record.target ?? '').split(' ');
  const hasKind = /^[a-z]+\.[a-z]+$/.test(first) && rest.length > 0;
  return {
    seq: record.seq,
    time: record.time,
    actor: actorLabel(record.actor),
    tool: record.tool,
    ...(record.target ? (hasKind ? { action: first, target: rest.join(' ') } : { target: record.target }) : {}),
    ...(record.tier ? { tier: record.tier } : {}),
    verdict: record.verdict ?? record.kind,
    reasons: [...(record.reasons ?? [])],
    ...(record.ticket ? { ticket: record.ticket } : {}),
    ...(record.result ? { result: record.result } : {}),
    ...(record.durationMs !== undefined ? { durationMs: record.durationMs } : {}),
    hash: record.hash,
    prevHash: record.prevHash,
    ...(record.params ? { params: { ...record.params } } : {}),
  };
}
