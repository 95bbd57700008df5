/** Wire contracts of /api/memory (dashboard Memory view). */
import { z } from 'zod';

export const MEMORY_TIER_NAMES = ['core', 'event', 'pattern', 'conversation'] as const;
export const MemoryTierSchema = z.enum(MEMORY_TIER_NAMES);

export const MemoryListQuerySchema = z.object({
  tier: MemoryTierSchema.optional(),
  status: z.enum(['active', 'pending', 'contradiction']).optional(),
  search: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
});
export type MemoryListQueryDto = z.infer<typeof MemoryListQuerySchema>;

export const MemoryWriteSchema = z.object({ text: z.string().min(1).max(2000) }).strict();
export const MemoryEditSchema = z
  .object({ text: z.string().min(1).max(2000).optional(), confirm: z.literal(true).optional() })
  .strict()
  .refine((value) => value.text !== undefined || value.confirm === true, { message: 'give text to edit or confirm: true' });

export interface MemoryProvenanceDto {
  readonly writer: 'user' | 'consolidation' | 'monitor' | 'cluster';
  readonly principal: string;
  readonly at: number;
  readonly sourceId?: string | undefined;
  readonly tainted: boolean;
}

export interface MemoryEntryDto {
  readonly id: string;
  readonly tier: (typeof MEMORY_TIER_NAMES)[number];
  readonly subject: string;
  readonly text: string;
  readonly entities: readonly string[];
  readonly status: 'active' | 'pending' | 'contradiction';
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt?: number | undefined;
  readonly count: number;
  readonly provenance: MemoryProvenanceDto;
  readonly note?: string | undefined;
}

export interface MemoryVersionDto {
  readonly oldText: string;
  readonly newText: string;
  readonly at: number;
  readonly provenance: MemoryProvenanceDto;
}

export interface MemoryListDto {
  readonly entries: readonly MemoryEntryDto[];
  readonly total: number;
}

export interface MemoryDetailDto {
  readonly entry: MemoryEntryDto;
  readonly versions: readonly MemoryVersionDto[];
}

/** Result of a write: stored (with what happened) or refused with the reasons shown to the user. */
export interface MemoryWriteDto {
  readonly stored: boolean;
  readonly message: string;
  readonly change?: string | undefined;
  readonly reasons?: readonly string[] | undefined;
  readonly entry?: MemoryEntryDto | undefined;
}

/** Response schemas for the dashboard (lenient: unknown keys stripped). */
const ProvenanceSchema = z.object({ writer: z.string(), principal: z.string(), at: z.number(), sourceId: z.string().optional(), tainted: z.boolean() });
export const MemoryEntrySchema = z.object({
  id: z.string(),
  tier: z.string(),
  subject: z.string(),
  text: z.string(),
  entities: z.array(z.string()),
  status: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  expiresAt: z.number().optional(),
  count: z.number(),
  provenance: ProvenanceSchema,
  note: z.string().optional(),
});
export const MemoryListSchema = z.object({ entries: z.array(MemoryEntrySchema), total: z.number() });
export const MemoryDetailSchema = z.object({
  entry: MemoryEntrySchema,
  versions: z.array(z.object({ oldText: z.string(), newText: z.string(), at: z.number(), provenance: ProvenanceSchema })),
});
export const MemoryWriteResultSchema = z.object({
  stored: z.boolean(),
  message: z.string(),
  change: z.string().optional(),
  reasons: z.array(z.string()).optional(),
});
