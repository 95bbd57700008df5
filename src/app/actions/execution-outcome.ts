/**
 * What the guarded executor answers. Structurally compatible with app/tools' ProposalOutcome
 * (each variant carries the same fields, plus the decision for callers that want it).
 */
import type { ErrorCode, JarvisError } from '../../core/errors.ts';
import type { TaskStatus } from '../../core/ports/cluster.ts';
import type { Decision } from '../../core/safety/decision.ts';

/**
 * The audit rows that record an outcome (absent when no row was written): `auditSeq` is the row
 * that says how it ended (the result row of a run, else the decision row), `decisionSeq` the
 * kernel's decision row. Callers link to the audit log by these (the monitor's alert timeline).
 */
export interface AuditRowRef {
  readonly auditSeq?: number | undefined;
  readonly decisionSeq?: number | undefined;
}

export type ExecutionOutcome = AuditRowRef & (
  | { readonly status: 'done'; readonly summary: string; readonly noOp: boolean; readonly output?: string | undefined; readonly task?: TaskStatus | undefined; readonly decision: Decision }
  | { readonly status: 'needs-confirmation'; readonly ticketId: string; readonly expiresAt: number; readonly preview: string; readonly reasons: readonly string[]; readonly decision: Decision }
  | {
      readonly status: 'denied'; readonly reasons: readonly string[]; readonly decision?: Decision | undefined;
      /** For an approval refused before re-deciding (FORBIDDEN, FROZEN, TICKET_INVALID): the ticket is left as it was. */
      readonly code?: ErrorCode | undefined;
    }
  | { readonly status: 'error'; readonly error: JarvisError; readonly decision?: Decision | undefined }
);

/** A human approving or rejecting a ticket, as authenticated by the caller. */
export interface Approver {
  readonly id: string;
  /** Only `admin` and `operator` may approve; `viewer` (or anything else) is refused. */
  readonly role: string;
  /**
   * `user`: a signed-in human (dashboard session, or `jarvis approve` run by an admin). `token`:
   * an API token (MCP client, script): tokens may propose but never approve, whatever their role.
   * Every HTTP caller sets it from its principal; absent means a local human (CLI, tests).
   */
  readonly kind?: 'user' | 'token' | undefined;
}

/** How an approval is given: through the approvals queue, or inline by the human who proposed it. */
export interface ApproveOptions {
  /** Inline confirmation by the proposing human, bound to the hash the human was shown. */
  readonly inline?: { readonly actionHash: string } | undefined;
}

export const APPROVER_ROLES: readonly string[] = ['admin', 'operator'];
