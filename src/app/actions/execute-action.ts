/**
 * The guarded executor: the one path by which anything acts on the cluster (chat agent, MCP
 * tools, dashboard, monitor, CLI). propose -> fresh snapshot -> decide -> audit decision row
 * (committed first; if it cannot be written nothing runs) -> if allowed: take the node lock ->
 * ActionRunner.doRun with a deadline -> release the lock (finally) -> audit result row.
 * Red actions get a stored ticket; approve() re-decides the *stored* action and consumes the
 * ticket atomically before running it.
 */
import { actionSchema, describeTarget, type Action } from '../../core/domain/action.ts';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import type { Topology } from '../../core/domain/topology.ts';
import { jarvisError, type JarvisError, type Result } from '../../core/errors.ts';
import type { AuditRecord } from '../../core/audit/audit-record.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { Clock } from '../../core/ports/clock.ts';
import { principalOf, type EventBus } from '../../core/ports/events.ts';
import type { NodeLocks } from '../../core/ports/locks.ts';
import type { SettingsStore } from '../../core/ports/settings.ts';
import type { TicketStore } from '../../core/ports/tickets.ts';
import { decide, hashAction } from '../../core/safety/decide.ts';
import { TICKET_TTL_MS, type Decision, type Ticket } from '../../core/safety/decision.ts';
import type { ActionRunner } from './action-runner.ts';
import { APPROVER_ROLES, approverActor, type Approver, type ApproveOptions, type ExecutionOutcome } from './execution-outcome.ts';
import { approvalDto, blastRadiusDto, taskDto } from './outcome-wire.ts';
import { separationOfDutiesProblem } from './separation-of-duties.ts';
import { runLocked } from './run-locked.ts';

export interface ExecutorDeps {
  /** Reads a fresh snapshot (decisions are never made on stale data). */
  readonly readSnapshot: () => Promise<Result<ClusterSnapshot, JarvisError>>;
  readonly topology: Topology;
  readonly locks: NodeLocks;
  readonly audit: AuditLog;
  readonly tickets: TicketStore;
  readonly settings: SettingsStore;
  readonly runner: ActionRunner;
  readonly clock: Clock;
  /** New unique ticket ids. */
  readonly newId: () => string;
  /**
   * The domain event stream: proposal.decided, ticket.opened/approved/rejected, action.started/finished
   * are published here, where they happen (notifiers subscribe to action.finished; there is no separate
   * notify hook). Absent = nothing published (unit tests).
   */
  readonly events?: EventBus | undefined;
  /** Deadline for one action including its task wait (default 120 s); the lock is released after it. */
  readonly actTimeoutMs?: number | undefined;
  readonly ticketTtlMs?: number | undefined;
  readonly restartableUnits?: readonly string[] | undefined;
  /** Config `safety.twoPersonRule`: a red action needs a second human (no inline self-confirmation). */
  readonly twoPersonRule?: boolean | undefined;
}

export interface GuardedExecutor {
  /** Structurally a ToolExecutor (app/tools): `timeoutMs` overrides the act deadline for this call. */
  propose(action: Action, options?: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined; tool?: string | undefined }): Promise<ExecutionOutcome>;
  /**
   * A human approves a ticket: never a token, never the proposer (except the proposing human's
   * inline confirmation, bound to the action hash, when the two-person rule is off); refused while
   * frozen with the ticket left pending.
   */
  approve(ticketId: string, approver: Approver, options?: ApproveOptions): Promise<ExecutionOutcome>;
  reject(ticketId: string, approver: Approver, reason?: string): Promise<ExecutionOutcome>;
  /** Decides without running or recording anything (plan preview). */
  plan(action: Action): Promise<Result<Decision, JarvisError>>;
}

/**
 * An action the kernel would allow (or send for approval) but that no runner of this setup can
 * execute is refused now, with the manual route, rather than after a human approved it.
 */
function unsupportedAsDeny(decision: Decision, action: Action, runner: ActionRunner): Decision {
  if (decision.verdict === 'deny' || decision.preview.noOp || runner.supports?.(action.kind) !== false) return decision;
  return {
    ...decision,
    verdict: 'deny',
    reasons: [...decision.reasons, `this Jarvis has no executor for ${action.kind} (no adapter configured for it): do it by hand in the PVE web UI or CLI`],
  };
}

/** A denied outcome: the reasons, and the blast radius when the kernel decided. */
function denied(reasons: readonly string[], decision?: Decision, code?: JarvisError['code']): ExecutionOutcome {
  return {
    status: 'denied',
    reasons: [...reasons],
    decision,
    ...(decision ? { blastRadius: blastRadiusDto(decision.blastRadius) } : {}),
    ...(code ? { code } : {}),
  };
}

/** Builds the executor over its ports. */
export function createGuardedExecutor(deps: ExecutorDeps): GuardedExecutor {
  const actTimeoutMs = deps.actTimeoutMs ?? 120_000;
  const events = deps.events;

  async function decideNow(action: Action, ticket?: Ticket): Promise<Result<Decision, JarvisError>> {
    const snapshot = await deps.readSnapshot();
    if (!snapshot.ok) return snapshot;
    const freeze = await deps.settings.getFreeze();
    const now = deps.clock.now();
    return {
      ok: true,
      value: decide(action, snapshot.value, deps.topology, deps.locks.state(now), now, {
        frozen: freeze.ok ? freeze.value.frozen : true, // unreadable switch: fail closed
        ticket,
        autonomous: action.actor.kind === 'monitor',
        restartableUnits: deps.restartableUnits,
      }),
    };
  }

  async function recordDecision(action: Action, decision: Decision, tool: string, ticketId?: string): Promise<Result<AuditRecord, JarvisError>> {
    return deps.audit.append({
      kind: 'decision',
      time: deps.clock.now(),
      actor: action.actor,
      tool,
      params: action.params,
      target: `${action.kind} ${decision.targetLabel ?? describeTarget(action.target)}`,
      actionHash: decision.actionHash,
      tier: decision.tier,
      verdict: decision.verdict,
      reasons: decision.reasons,
      blastRadius: decision.blastRadius,
      ticket: ticketId,
      modelReason: action.reason,
    });
  }

  async function execute(
    action: Action,
    decision: Decision,
    tool: string,
    extra: {
      signal?: AbortSignal | undefined;
      ticketId?: string | undefined;
      timeoutMs?: number | undefined;
      beforeRun?: () => Promise<{ ok: true } | { ok: false; error: JarvisError }>;
      /** For an approved ticket: who proposed, who approved and when (named in the result row). */
      approval?: { proposedBy: string; approvedBy: string; approvedAt: number } | undefined;
      /** Seq of the decision row already written (linked from the outcome). */
      decisionSeq?: number | undefined;
    } = {},
  ): Promise<ExecutionOutcome> {
    const { signal, ticketId } = extra;
    const actor = principalOf(action.actor);
    if (decision.preview.noOp) {
      const noOpRow = await deps.audit.append({
        kind: 'result',
        time: deps.clock.now(),
        actor: action.actor,
        tool,
        actionHash: decision.actionHash,
        ticket: ticketId,
        result: 'no-op',
        durationMs: 0,
      });
      return {
        status: 'done',
        summary: `no-op: ${decision.preview.summary}`,
        noOp: true,
        decision,
        auditSeq: noOpRow.ok ? noOpRow.value.seq : extra.decisionSeq,
        decisionSeq: extra.decisionSeq,
      };
    }
    let started = false;
    const beforeRun = async (): Promise<{ ok: true } | { ok: false; error: JarvisError }> => {
      const ready = extra.beforeRun ? await extra.beforeRun() : ({ ok: true } as const);
      started = ready.ok;
      if (ready.ok)
        events?.publish('action.started', { actionHash: decision.actionHash, kind: action.kind, actor, target: action.target, at: deps.clock.now() });
      return ready;
    };
    const outcome = await runLocked(deps, action, decision, { timeoutMs: extra.timeoutMs ?? actTimeoutMs, signal, beforeRun });
    const result = outcome.ok ? (outcome.value.noOp ? 'no-op' : `done: ${outcome.value.summary}`) : `error: ${outcome.error.code} ${outcome.error.message}`;
    const approvalNote = extra.approval ? ` (proposed by ${extra.approval.proposedBy}, approved by ${extra.approval.approvedBy})` : '';
    const resultRow = await deps.audit.append({
      kind: 'result',
      time: deps.clock.now(),
      actor: action.actor,
      tool,
      actionHash: decision.actionHash,
      ticket: ticketId,
      result: `${result}${approvalNote}`,
      durationMs: outcome.durationMs,
      ...(extra.approval ? { params: { ...extra.approval } } : {}),
    });
    // The action already ran; say so rather than hide that its result row is missing.
    const auditNote = resultRow.ok ? '' : ` (warning: the audit result row was not written: ${resultRow.error.message})`;
    if (started) {
      events?.publish('action.finished', {
        actionHash: decision.actionHash,
        kind: action.kind,
        actor,
        ok: outcome.ok,
        message: outcome.ok ? outcome.value.summary : `${outcome.error.code}: ${outcome.error.message}`,
        taskId: outcome.ok ? outcome.value.task?.upid : undefined,
        at: deps.clock.now(),
      });
    }
    const rows = { auditSeq: resultRow.ok ? resultRow.value.seq : extra.decisionSeq, decisionSeq: extra.decisionSeq };
    if (!outcome.ok) {
      const refused = outcome.error.code === 'DENIED' || outcome.error.code === 'TICKET_INVALID';
      return refused ? { ...denied([outcome.error.message], decision), ...rows } : { status: 'error', error: outcome.error, decision, ...rows };
    }
    const { output, task } = outcome.value;
    return {
      status: 'done',
      summary: `${outcome.value.summary}${auditNote}`,
      noOp: outcome.value.noOp ?? false,
      ...(output !== undefined ? { output } : {}),
      ...(task ? { task: taskDto(task) } : {}),
      decision,
      ...rows,
    };
  }

  return {
    async plan(action) {
      return decideNow(action);
    },

    async propose(input, options = {}) {
      const tool = options.tool ?? 'executor';
      const parsed = actionSchema.safeParse(input);
      if (!parsed.success) {
        return {
          status: 'error',
          error: jarvisError('INVALID_INPUT', `not a valid action: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { hint: 'see `jarvis plan --schema`' }),
        };
      }
      const action = parsed.data;
      const decided = await decideNow(action);
      if (!decided.ok) return { status: 'error', error: decided.error };
      const decision = unsupportedAsDeny(decided.value, action, deps.runner);
      // A no-op (e.g. starting a running guest) needs no ticket: nothing will run.
      const ticket: Ticket | undefined =
        decision.verdict === 'needs-confirmation' && !decision.preview.noOp
          ? {
              id: deps.newId(),
              action,
              actionHash: decision.actionHash,
              blastRadius: decision.blastRadius,
              requester: action.actor,
              createdAt: deps.clock.now(),
              expiresAt: deps.clock.now() + (deps.ticketTtlMs ?? TICKET_TTL_MS),
              status: 'pending',
            }
          : undefined;
      const recorded = await recordDecision(action, decision, tool, ticket?.id);
      if (!recorded.ok) return { status: 'error', error: recorded.error, decision };
      events?.publish('proposal.decided', {
        actionHash: decision.actionHash,
        action,
        verdict: decision.verdict,
        tier: decision.tier,
        reasons: decision.reasons,
        actor: principalOf(action.actor),
        at: deps.clock.now(),
      });
      const decisionSeq = recorded.value.seq;
      if (decision.verdict === 'deny') return { ...denied(decision.reasons, decision), auditSeq: decisionSeq, decisionSeq };
      if (ticket) {
        const saved = await deps.tickets.save(ticket);
        if (!saved.ok) return { status: 'error', error: saved.error, decision };
        events?.publish('ticket.opened', {
          ticketId: ticket.id,
          actionHash: ticket.actionHash,
          kind: action.kind,
          summary: decision.preview.summary,
          requestedBy: principalOf(action.actor),
          expiresAt: ticket.expiresAt,
          at: ticket.createdAt,
        });
        return { status: 'needs-confirmation', approval: approvalDto(ticket, decision), decision, auditSeq: decisionSeq, decisionSeq };
      }
      return execute(action, decision, tool, { signal: options.signal, timeoutMs: options.timeoutMs, decisionSeq });
    },

    async approve(ticketId, approver, options = {}) {
      const tool = options.inline ? 'confirm' : 'approve';
      const found = await deps.tickets.get(ticketId);
      if (!found.ok) return { status: 'error', error: found.error };
      const approverAs = approverActor(approver);
      const approverLabel = principalOf(approverAs);
      const denyTicket = async (reasons: string[], decision?: Decision, code?: JarvisError['code']): Promise<ExecutionOutcome> => {
        const recorded = await deps.audit.append({
          kind: 'ticket',
          time: deps.clock.now(),
          actor: approverAs,
          tool,
          ticket: ticketId,
          verdict: 'deny',
          reasons,
          result: 'approval refused',
        });
        if (!recorded.ok) return { status: 'error', error: recorded.error, decision };
        return denied(reasons, decision, code);
      };
      const refuse = (error: JarvisError): Promise<ExecutionOutcome> => denyTicket([error.message, ...(error.hint ? [error.hint] : [])], undefined, error.code);
      if (!APPROVER_ROLES.includes(approver.role)) return denyTicket([`role '${approver.role}' may not approve actions (admin or operator only)`]);
      if (!found.value) return denyTicket([`ticket ${ticketId.slice(0, 64)} does not exist`]);
      const stored = found.value;
      const duty = separationOfDutiesProblem(stored, approver, { inline: options.inline, twoPersonRule: deps.twoPersonRule ?? false });
      if (duty) return refuse(duty);
      // Approving while frozen is refused up front: the ticket stays pending for after the unfreeze.
      const freeze = await deps.settings.getFreeze();
      if (!freeze.ok || freeze.value.frozen) {
        return refuse(
          jarvisError(
            'FROZEN',
            `emergency stop is on: ticket ${ticketId} cannot be approved now and stays pending (until it expires); an admin lifts the stop with \`jarvis unfreeze\``,
            { hint: 'approve it again after the emergency stop is lifted' },
          ),
        );
      }
      const decided = await decideNow(stored.action, stored);
      if (!decided.ok) return { status: 'error', error: decided.error };
      const decision = unsupportedAsDeny(decided.value, stored.action, deps.runner);
      if (decision.verdict !== 'allow') {
        // A ticket whose action no longer matches its hash can never be valid: close it. Any other
        // refusal (frozen, lock busy, quorum) leaves it pending until it expires; a retry re-decides.
        if (stored.status === 'pending' && hashAction(stored.action) !== stored.actionHash) await deps.tickets.reject(ticketId, deps.clock.now());
        return denyTicket(
          decision.verdict === 'deny' ? [...decision.reasons] : ['re-deciding the stored action did not allow it', ...decision.reasons],
          decision,
        );
      }
      // Under the node lock: consume the ticket (single use), then commit the decision row, then run.
      return execute(stored.action, decision, tool, {
        ticketId,
        approval: { proposedBy: principalOf(stored.requester), approvedBy: approverLabel, approvedAt: deps.clock.now() },
        beforeRun: async () => {
          const consumed = await deps.tickets.consume(ticketId, deps.clock.now(), approverLabel);
          if (!consumed.ok) return consumed;
          events?.publish('ticket.approved', {
            ticketId,
            approvedBy: approverLabel,
            requestedBy: principalOf(stored.requester),
            at: deps.clock.now(),
          });
          const recorded = await recordDecision(
            stored.action,
            {
              ...decision,
              reasons: [
                ...decision.reasons,
                `proposed by ${principalOf(stored.requester)}, approved by ${approverLabel} (${approver.role})${options.inline ? ' inline' : ''}`,
              ],
            },
            tool,
            ticketId,
          );
          return recorded.ok ? { ok: true } : recorded;
        },
      });
    },

    async reject(ticketId, approver, reason) {
      const rejecter = approverActor(approver);
      const rejected = await deps.tickets.reject(ticketId, deps.clock.now(), principalOf(rejecter));
      const reasons = [rejected.ok ? `rejected by ${approver.id}${reason ? `: ${reason}` : ''}` : rejected.error.message];
      const recorded = await deps.audit.append({
        kind: 'ticket',
        time: deps.clock.now(),
        actor: rejecter,
        tool: 'reject',
        ticket: ticketId,
        verdict: 'deny',
        reasons,
        result: 'rejected',
      });
      if (rejected.ok)
        events?.publish('ticket.rejected', {
          ticketId,
          rejectedBy: principalOf(rejecter),
          reason: reason ?? '',
          at: deps.clock.now(),
        });
      if (!recorded.ok) return { status: 'error', error: recorded.error };
      return denied(reasons);
    },
  };
}
