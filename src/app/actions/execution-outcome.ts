/**
 * What the guarded executor answers: the wire outcome (ActionOutcome, src/protocol/outcome.ts)
 * by construction, plus what only server-side callers use: the kernel's Decision and the full
 * JarvisError (details, cause). `wireOutcome` (./outcome-wire.ts) drops those for the wire; no
 * field is renamed anywhere between the executor and the dashboard, MCP client or CLI.
 */
import type { Actor } from '../../core/domain/action.ts';
import type { ErrorCode, JarvisError } from '../../core/errors.ts';
import type { Decision } from '../../core/safety/decision.ts';
import type { ActionOutcome } from '../../protocol/outcome.ts';
import { actorFor } from '../auth/roles.ts';

type Wire<S extends ActionOutcome['status']> = Extract<ActionOutcome, { status: S }>;
interface Decided {
  readonly decision?: Decision | undefined;
}

/**
 * The audit rows that record an outcome (absent when no row was written): `auditSeq` is the row
 * that says how it ended (the result row of a run, else the decision row), `decisionSeq` the
 * kernel's decision row. Callers link to the audit log by these (the monitor's alert timeline).
 */
export interface AuditRowRef {
  readonly auditSeq?: number | undefined;
  readonly decisionSeq?: number | undefined;
}

export type ExecutionOutcome = AuditRowRef &
  (
    | (Wire<'done'> & Decided)
    | (Wire<'needs-confirmation'> & Decided)
    | (Wire<'denied'> & Decided & { readonly code?: ErrorCode | undefined })
    | ({ readonly status: 'error'; readonly error: JarvisError } & Decided)
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

/**
 * The approver as an audit actor: a signed-in human is a user, an API token is the client it
 * belongs to. Named with principalOf like every other fact (`user:alice`, `token:desktop`).
 */
export function approverActor(approver: Approver): Actor {
  return actorFor({ kind: approver.kind ?? 'user', name: approver.id });
}

/** How an approval is given: through the approvals queue, or inline by the human who proposed it. */
export interface ApproveOptions {
  /** Inline confirmation by the proposing human, bound to the hash the human was shown. */
  readonly inline?: { readonly actionHash: string } | undefined;
}

export const APPROVER_ROLES: readonly string[] = ['admin', 'operator'];
