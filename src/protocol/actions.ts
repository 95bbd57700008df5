import { z } from 'zod';

/**
 * A PVE task (UPID) as the dashboard follows it: every recent task of the cluster (from
 * /cluster/tasks, whoever started it) plus Jarvis's own in flight. The state snapshot lists them
 * (`StateDto.tasks`); `task-start` / `task-delta` / `task-end` are their deltas.
 */
export const TaskDtoSchema = z.object({
  upid: z.string(),
  node: z.string(),
  /** PVE task type, e.g. `qmstop`. */
  type: z.string(),
  vmid: z.number().int().optional(),
  status: z.enum(['running', 'stopped']),
  /** When stopped: `OK`, `WARNINGS: n` or the error text. */
  exitstatus: z.string().optional(),
  succeeded: z.boolean().optional(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  /** Last lines of the task log (sanitised, bounded). */
  logTail: z.array(z.string()).optional(),
  /** PVE user (or token) that started it, e.g. `root@pam`. */
  user: z.string().optional(),
  /** True when Jarvis started it. */
  byJarvis: z.boolean().optional(),
  /** 0..1 when known. */
  progress: z.number().min(0).max(1).optional(),
});
export type TaskDto = z.infer<typeof TaskDtoSchema>;

/**
 * POST /api/actions: a human's request from the dashboard (e.g. a guest's Start/Stop button).
 * It goes through the kernel's guarded executor exactly like a model's request.
 */
export const ActionRequestSchema = z.object({
  kind: z.enum(['guest.start', 'guest.stop', 'guest.shutdown', 'guest.reboot']),
  vmid: z.number().int().min(100).max(999_999_999),
  /** What the user saw: the server checks it against the live snapshot (identity check). */
  expectedName: z.string().max(200).optional(),
  expectedNode: z.string().max(200).optional(),
  reason: z.string().max(500).optional(),
});
export type ActionRequest = z.infer<typeof ActionRequestSchema>;

/**
 * POST /api/actions/confirm: the signed-in human who started a red action in the dashboard
 * confirms it inline, bound to the action hash shown with the preview and blast radius
 * (`approval.id` and `approval.actionHash` of the needs-confirmation outcome). Session users only,
 * and only the proposer; a hash mismatch is TICKET_INVALID (409); with `safety.twoPersonRule` on,
 * inline confirmation is refused (403) and a second human approves via
 * POST /api/approvals/:id/approve. Answers the action's outcome (ActionOutcome, ./outcome.ts).
 */
export const ActionConfirmRequestSchema = z.strictObject({
  ticketId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
  actionHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ActionConfirmRequest = z.infer<typeof ActionConfirmRequestSchema>;
