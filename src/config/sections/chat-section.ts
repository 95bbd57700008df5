import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { milliseconds } from './fields.ts';

/** `chat`: the chat agent's bounds and the offline fast path (docs/chat.md). */
export const chatSection = defineSection({
  key: 'chat',
  description: 'chat agent: model calls per turn (local/cloud), turn deadline, offline fast path',
  schema: z.strictObject({
    /** Answer fully understood routine requests in offline command mode without a model call. */
    fastPath: z.boolean().default(true),
    maxStepsLocal: z.number().int().min(1).max(10).default(3),
    maxStepsCloud: z.number().int().min(1).max(20).default(6),
    turnTimeoutMs: milliseconds(5_000, 600_000).default(90_000),
  }),
});
