import { z } from 'zod';

/** One audit record as the dashboard shows it (the kernel's hash-chained row, flattened). */
export const AuditEntryDtoSchema = z.object({
  seq: z.number().int(),
  /** Epoch ms. */
  time: z.number(),
  /** e.g. `user:admin`, `model:qwen2.5-7b`, `monitor:disk-full`, `token:desktop`. */
  actor: z.string(),
  tool: z.string().optional(),
  /** Action kind, e.g. `guest.stop`. */
  action: z.string().optional(),
  /** Human-readable target, e.g. `vm 101 (web01) on pve`. */
  target: z.string().optional(),
  tier: z.enum(['green', 'yellow', 'red', 'black']).optional(),
  /** Kernel verdict: allow | allow-notify | needs-confirmation | deny (or `result` rows). */
  verdict: z.string(),
  reasons: z.array(z.string()),
  ticket: z.string().optional(),
  /** Outcome text for result rows (done, no-op, error code). */
  result: z.string().optional(),
  durationMs: z.number().optional(),
  hash: z.string(),
  prevHash: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntryDto = z.infer<typeof AuditEntryDtoSchema>;

/** GET /api/audit query: filters AND together; `before` pages backwards by seq (newest first). */
export const AuditQuerySchema = z.object({
  actor: z.string().max(200).optional(),
  verdict: z.string().max(40).optional(),
  target: z.string().max(200).optional(),
  /** Epoch ms, inclusive. */
  from: z.coerce.number().optional(),
  /** Epoch ms, exclusive. */
  to: z.coerce.number().optional(),
  /** Return entries with seq < before (cursor from the previous page's `nextBefore`). */
  before: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQueryDto = z.infer<typeof AuditQuerySchema>;

export const AuditPageSchema = z.object({
  /** Newest first. */
  entries: z.array(AuditEntryDtoSchema),
  /** Pass as `before` to get the next (older) page; null when there is none. */
  nextBefore: z.number().int().nullable(),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;
