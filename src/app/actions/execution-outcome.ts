/**
 * What the guarded executor answers. Structurally compatible with app/tools' ProposalOutcome
 * (each variant carries the same fields, plus the decision for callers that want it).
 */
import type { JarvisError } from '../../core/errors.ts';
import type { TaskStatus } from '../../core/ports/cluster.ts';
import type { Decision } from '../../core/safety/decision.ts';

export type ExecutionOutcome =
  | { readonly status: 'done'; readonly summary: string; readonly noOp: boolean; readonly output?: string | undefined; readonly task?: TaskStatus | undefined; readonly decision: Decision }
  | { readonly status: 'needs-confirmation'; readonly ticketId: string; readonly expiresAt: number; readonly preview: string; readonly reasons: readonly string[]; readonly decision: Decision }
  | { readonly status: 'denied'; readonly reasons: readonly string[]; readonly decision?: Decision | undefined }
  | { readonly status: 'error'; readonly error: JarvisError; readonly decision?: Decision | undefined };

/** A human approving or rejecting a ticket, as authenticated by the caller. */
export interface Approver {
  readonly id: string;
  /** Only `admin` and `operator` may approve; `viewer` (or anything else) is refused. */
  readonly role: string;
}

export const APPROVER_ROLES: readonly string[] = ['admin', 'operator'];
