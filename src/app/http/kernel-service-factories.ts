/**
 * The HTTP service interfaces over the kernel's real modules: the guarded executor
 * (app/actions), the ticket store and the audit log. create-jarvis passes these instead of the
 * in-memory stand-ins once the kernel is wired.
 */
import type { Action } from '../../core/domain/action.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { TicketStore } from '../../core/ports/tickets.ts';
import type { Decision } from '../../core/safety/decision.ts';
import type { GuardedExecutor } from '../actions/execute-action.ts';
import { rawJson } from '../tools/run-tool.ts';
import type { ActionOutcome, ApprovalDto, AuditEntryDto, AuditPage, AuditQueryDto } from '../../protocol/index.ts';
import { actorFor, actorOf, type Principal } from '../auth/roles.ts';
import type { ActionService, ApprovalsService, AuditQuery } from './http-deps.ts';
import { approvalDto, auditEntryDto, wireOutcome } from './kernel-dto.ts';

export interface KernelServicesDeps {
  readonly executor: Pick<GuardedExecutor, 'propose' | 'approve' | 'reject' | 'plan'>;
  readonly tickets: Pick<TicketStore, 'get' | 'listPending'>;
  readonly clock: Clock;
  /** Where refused dashboard action bodies are audited (write-ahead); absent = not audited. */
  readonly audit?: Pick<AuditLog, 'append'> | undefined;
}

/** POST /api/actions through the guarded executor (dashboard buttons = same path as the model). */
export function executorActionService(deps: KernelServicesDeps): ActionService {
  return {
    async propose(request, principal): Promise<Result<ActionOutcome, JarvisError>> {
      const action: Action = {
        kind: request.kind,
        target: { type: 'guest', vmid: request.vmid },
        params: {},
        expectedIdentity: {
          vmid: request.vmid,
          ...(request.expectedName ? { name: request.expectedName } : {}),
          ...(request.expectedNode ? { node: request.expectedNode } : {}),
        },
        actor: actorFor(principal),
        reason: request.reason ?? 'requested from the dashboard',
      };
      const outcome = await deps.executor.propose(action, { tool: 'dashboard' });
      return ok(wireOutcome(outcome));
    },
    async confirm(request, principal): Promise<Result<ActionOutcome, JarvisError>> {
      // Inline confirmation is for a signed-in human only (never a token), checked again by the executor.
      if (principal.kind !== 'user') return err(jarvisError('FORBIDDEN', 'API tokens may propose actions but never confirm or approve them'));
      return resolveTicket(deps, request.ticketId, principal, { inline: { actionHash: request.actionHash } });
    },
    async refused(rawBody, principal, error): Promise<Result<void, JarvisError>> {
      if (!deps.audit) return ok(undefined);
      // Same row as a tool call refused for bad input: kind `call`, the raw arguments sanitised and truncated.
      const written = await deps.audit.append({
        kind: 'call',
        time: deps.clock.now(),
        actor: actorFor(principal),
        tool: 'dashboard',
        params: { rawInput: rawJson(rawBody) },
        result: `error: ${error.code}`,
        durationMs: 0,
      });
      if (written.ok) return ok(undefined);
      return err(
        jarvisError('AUDIT_UNAVAILABLE', 'the audit log could not record this refused request, so its answer is withheld', {
          retryable: true,
          hint: 'check the audit database (storage path writable, disk not full)',
        }),
      );
    },
  };
}

/** Codes of an approval refused before anything ran: the ticket is untouched (still pending). */
const REFUSED_APPROVAL: ReadonlySet<string> = new Set(['FORBIDDEN', 'FROZEN', 'TICKET_INVALID']);

/**
 * Approves (queue) or confirms (inline) a ticket through the executor. A refusal that left the
 * ticket pending (token, own proposal, frozen, hash mismatch) is an error answer; the executor
 * publishes ticket.approved only for a real approval, and the hub's approval-resolve comes from it.
 */
async function resolveTicket(
  deps: KernelServicesDeps,
  id: string,
  approver: Principal,
  options: { inline?: { actionHash: string } } = {},
): Promise<Result<ActionOutcome, JarvisError>> {
  const found = await deps.tickets.get(id);
  const outcome = await deps.executor.approve(id, { id: approver.name, role: approver.role, kind: approver.kind }, options);
  if (!found.ok || !found.value) return err(jarvisError('TICKET_INVALID', `ticket ${id} does not exist`));
  if (outcome.status === 'denied' && outcome.decision === undefined) {
    const code = outcome.code !== undefined && REFUSED_APPROVAL.has(outcome.code) ? outcome.code : 'TICKET_INVALID';
    return err(jarvisError(code, outcome.reasons[0] ?? 'approval refused', outcome.reasons[1] ? { hint: outcome.reasons[1] } : {}));
  }
  // The approval-resolve message comes from the bus (ticket.approved, published by the executor).
  return ok(wireOutcome(outcome));
}

/** The approvals queue over the ticket store; each entry is re-planned against the live cluster. */
export function ticketApprovalsService(deps: KernelServicesDeps): ApprovalsService & { refreshCount(): Promise<void> } {
  let pending = 0;
  const refresh = async (): Promise<void> => {
    const result = await deps.tickets.listPending(deps.clock.now());
    if (result.ok) pending = result.value.length;
  };
  const refreshCount = () => void refresh();
  async function planOf(action: Action): Promise<Decision | undefined> {
    const planned = await deps.executor.plan(action);
    return planned.ok ? planned.value : undefined;
  }
  return {
    async list(): Promise<Result<ApprovalDto[], JarvisError>> {
      // The ticket store lists pending tickets only; resolved ones are in the audit log.
      const listed = await deps.tickets.listPending(deps.clock.now());
      if (!listed.ok) return listed;
      pending = listed.value.length;
      return ok(await Promise.all(listed.value.map(async (ticket) => approvalDto(ticket, await planOf(ticket.action)))));
    },
    async approve(id, approver): Promise<Result<ActionOutcome, JarvisError>> {
      const result = await resolveTicket(deps, id, approver);
      refreshCount();
      return result;
    },
    async reject(id, by, reason): Promise<Result<ApprovalDto, JarvisError>> {
      const found = await deps.tickets.get(id);
      if (!found.ok) return found;
      if (!found.value || found.value.status !== 'pending') return err(jarvisError('TICKET_INVALID', `ticket ${id} is not pending`));
      const outcome = await deps.executor.reject(id, { id: by.name, role: by.role, kind: by.kind }, reason);
      refreshCount();
      if (outcome.status === 'error') return err(outcome.error);
      return ok({ ...approvalDto(found.value, undefined, 'rejected'), resolvedBy: actorOf(by), resolvedAt: deps.clock.now() });
    },
    /** Last known count (sync for /api/state and /metrics); each call refreshes it in the background. */
    pendingCount(): number {
      refreshCount();
      return pending;
    },
    refreshCount: refresh,
  };
}

function matches(entry: AuditEntryDto, query: AuditQueryDto): boolean {
  if (query.actor && entry.actor !== query.actor) return false;
  if (query.verdict && entry.verdict !== query.verdict) return false;
  if (query.target && !`${entry.action ?? ''} ${entry.target ?? ''}`.includes(query.target)) return false;
  if (query.from !== undefined && entry.time < query.from) return false;
  if (query.to !== undefined && entry.time >= query.to) return false;
  return true;
}

/**
 * GET /api/audit over the AuditLog port, newest first: reads windows of rows backwards from
 * `before` (or the head) until the page is full, filtering as it goes. Bounded work per page.
 */
export function auditLogQuery(log: Pick<AuditLog, 'list' | 'head'>, window = 500, maxScan = 20_000): AuditQuery {
  return {
    async page(query): Promise<Result<AuditPage, JarvisError>> {
      const head = await log.head();
      if (!head.ok) return head;
      let upper = Math.min(query.before ?? Number.MAX_SAFE_INTEGER, head.value.count + 1); // exclusive
      const entries: AuditEntryDto[] = [];
      let scanned = 0;
      while (upper > 1 && entries.length < query.limit && scanned < maxScan) {
        const from = Math.max(0, upper - 1 - window);
        const rows = await log.list({ afterSeq: from, limit: upper - 1 - from });
        if (!rows.ok) return rows;
        for (const record of [...rows.value].reverse()) {
          const dto = auditEntryDto(record);
          if (record.seq < upper && matches(dto, query)) entries.push(dto);
          if (entries.length === query.limit) break;
        }
        scanned += upper - 1 - from;
        upper = from + 1;
      }
      const last = entries.at(-1);
      // Full page: continue below its last row. Scan budget spent: continue where the scan stopped.
      const nextBefore = entries.length === query.limit && last !== undefined ? (last.seq > 1 ? last.seq : null) : upper > 1 ? upper : null;
      return ok({ entries, nextBefore });
    },
  };
}
