import { z } from 'zod';

/** One resource the action would affect, and why (e.g. `guest 101 on pve` via `direct`). */
export const BlastItemSchema = z.object({
  kind: z.string(),
  id: z.string(),
  label: z.string().optional(),
  /** How it is reached: `direct`, `hosted-on`, `depends-on`... */
  via: z.string().optional(),
});

export const BlastRadiusDtoSchema = z.object({
  items: z.array(BlastItemSchema),
  /** When the action reaches Jarvis itself: the chain, e.g. ['jarvis', 'docker@103', 'vm 103', 'agent1']. */
  selfChain: z.array(z.string()).optional(),
  summary: z.string().optional(),
});
export type BlastRadiusDto = z.infer<typeof BlastRadiusDtoSchema>;

export const PlanPreviewDtoSchema = z.object({
  /** Ordered human-readable steps that would run. */
  steps: z.array(z.string()),
  /** What a human must check before approving. */
  warnings: z.array(z.string()).optional(),
});
export type PlanPreviewDto = z.infer<typeof PlanPreviewDtoSchema>;

export const ApprovalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'expired', 'executed', 'failed']);

/** A confirmation ticket waiting for (or resolved by) a human. */
export const ApprovalDtoSchema = z.object({
  /** Ticket id. */
  id: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  status: ApprovalStatusSchema,
  /** Who asked, e.g. `model:qwen2.5-7b`, `user:admin`, `token:desktop`. */
  requestedBy: z.string(),
  /** Action kind, e.g. `guest.stop`. */
  action: z.string(),
  /** Human-readable target, e.g. `vm 101 (web01) on pve`. */
  target: z.string(),
  tier: z.enum(['green', 'yellow', 'red', 'black']),
  reasons: z.array(z.string()),
  blastRadius: BlastRadiusDtoSchema,
  plan: PlanPreviewDtoSchema,
  /**
   * SHA-256 of the exact action the ticket is bound to. The proposing human confirms inline with
   * `POST /api/actions/confirm { ticketId: id, actionHash }` (see ActionConfirmRequestSchema).
   */
  actionHash: z.string().optional(),
  /** Who resolved it, when it is no longer pending. */
  resolvedBy: z.string().optional(),
  resolvedAt: z.number().optional(),
});
export type ApprovalDto = z.infer<typeof ApprovalDtoSchema>;

/** GET /api/approvals?status=pending (default pending). */
export const ApprovalsQuerySchema = z.object({
  status: z.enum(['pending', 'all']).default('pending'),
});

export const ApprovalsListSchema = z.object({ approvals: z.array(ApprovalDtoSchema) });
export type ApprovalsList = z.infer<typeof ApprovalsListSchema>;

/** POST /api/approvals/:id/reject body. Approve takes an empty body. */
export const RejectRequestSchema = z.object({ reason: z.string().max(500).optional() });
export type RejectRequest = z.infer<typeof RejectRequestSchema>;
