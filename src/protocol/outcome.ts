import { z } from 'zod';
import { TaskDtoSchema } from './actions.ts';
import { ApprovalDtoSchema, BlastRadiusDtoSchema } from './approvals.ts';
import { ErrorDtoSchema } from './http-dtos.ts';

/**
 * What happened to a proposed action: the ONE outcome type from the guarded executor to every
 * surface. The executor (src/app/actions) returns this shape (plus its Decision, for callers in
 * the server); the HTTP routes answer it (HTTP 200 for all four statuses), MCP and chat tools
 * report it, the monitor and the CLI print it, the dashboard renders it.
 *
 * One spelling per field and status: `done` with `noOp` and `summary`; `needs-confirmation` with
 * the approval card; `denied` with `reasons`; `error` with a catalogue error.
 */
export const ActionOutcomeSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('done'),
    /** True when nothing had to change (e.g. starting a running VM). */
    noOp: z.boolean(),
    /** One line for humans: what ran and how it ended (names the guest, e.g. `CT 207`). */
    summary: z.string(),
    task: TaskDtoSchema.optional(),
    /** Command output (diagnostics, service actions), when the act has any. Cluster text. */
    output: z.string().optional(),
  }),
  z.object({
    status: z.literal('needs-confirmation'),
    /** The ticket as an approvals-queue card: `approval.id` is the ticket id. */
    approval: ApprovalDtoSchema,
  }),
  z.object({
    status: z.literal('denied'),
    reasons: z.array(z.string()),
    /** For an approval refused before re-deciding (FORBIDDEN, FROZEN, TICKET_INVALID): the ticket is left as it was. */
    code: z.string().optional(),
    blastRadius: BlastRadiusDtoSchema.optional(),
  }),
  z.object({ status: z.literal('error'), error: ErrorDtoSchema }),
]);
export type ActionOutcome = z.infer<typeof ActionOutcomeSchema>;
export type ActionOutcomeStatus = ActionOutcome['status'];
