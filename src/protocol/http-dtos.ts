import { z } from 'zod';
import { TaskDtoSchema } from './actions.ts';
import { SnapshotDtoSchema } from './cluster.ts';

/** A JarvisError on the wire: a stable code from the server's catalogue, one line, and the fix. */
export const ErrorDtoSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  hint: z.string().optional(),
});
export type ErrorDto = z.infer<typeof ErrorDtoSchema>;

/** Every non-2xx JSON answer: `{ ok: false, error }`. */
export const ErrorResponseSchema = z.object({
  ok: z.literal(false),
  error: ErrorDtoSchema,
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

export const RoleSchema = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** Emergency stop (the kernel's persisted switch): while frozen every act is denied. */
export const FreezeStateSchema = z.object({
  frozen: z.boolean(),
  since: z.number().optional(),
  by: z.string().optional(),
  reason: z.string().optional(),
});
export type FreezeState = z.infer<typeof FreezeStateSchema>;

/** POST /api/freeze. Freezing: operator or admin. Lifting (`frozen: false`): admin only. */
export const FreezeRequestSchema = z.object({ frozen: z.boolean(), reason: z.string().max(500).optional() });
export type FreezeRequest = z.infer<typeof FreezeRequestSchema>;

/** Runtime settings. `aiEnabled: false` stops chat and autonomous model use; dashboard and tools keep working. */
export const SettingsSchema = z.object({ aiEnabled: z.boolean() });
export type Settings = z.infer<typeof SettingsSchema>;
/** PUT /api/settings (admin): partial update. */
export const SettingsUpdateSchema = SettingsSchema.partial();

/** Freshness of the server's own view of the cluster. */
export const DataHealthSchema = z.object({
  /** False when the last poll failed: `snapshot` is last-known data, `takenAt` tells its age. */
  fresh: z.boolean(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.number() }).optional(),
});
export type DataHealth = z.infer<typeof DataHealthSchema>;

/**
 * GET /api/state: everything the dashboard needs to (re)build its view. `seq` is the WebSocket hub's
 * latest frame number: apply only WS frames with seq > this one.
 */
export const StateDtoSchema = z.object({
  /** Server clock, epoch ms: clients derive their clock offset from it. */
  serverTime: z.number(),
  seq: z.number().int(),
  /** Null until the first successful poll. */
  snapshot: SnapshotDtoSchema.nullable(),
  data: DataHealthSchema,
  freeze: FreezeStateSchema,
  settings: SettingsSchema,
  approvalsPending: z.number().int(),
  /** The caller: lets the UI disable buttons the role cannot use. */
  user: z.object({ name: z.string(), role: RoleSchema }),
  /** Recent PVE tasks (cluster-wide, newest first) when the server provides them: the task list survives a reload. */
  tasks: z.array(TaskDtoSchema).optional(),
  /** Where Jarvis itself runs (the chain the kernel protects), when the server says. */
  self: z.object({ container: z.string(), dockerHost: z.string(), vmid: z.number().int(), vmName: z.string(), node: z.string() }).optional(),
  /** What answers chat, when the server says: off | no-model | simulated | local-only | over-budget | cloud. */
  aiStatus: z.enum(['off', 'no-model', 'simulated', 'local-only', 'over-budget', 'cloud']).optional(),
});
export type StateDto = z.infer<typeof StateDtoSchema>;

/** GET /api/history query: node (`node`), or guest (`node` + `vmid` + `type`). */
export const HistoryQuerySchema = z.object({
  kind: z.enum(['node', 'guest']),
  /** A node name as PVE spells it (host name characters only). */
  node: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/, 'expected a node name'),
  vmid: z.coerce.number().int().min(100).max(999_999_999).optional(),
  type: z.enum(['qemu', 'lxc']).optional(),
  timeframe: z.enum(['hour', 'day', 'week', 'month', 'year']).default('hour'),
});
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

/** RRD samples (PVE rrddata). A data source without a value in a slot is absent (never 0). */
export const HistoryDtoSchema = z.object({
  timeframe: z.enum(['hour', 'day', 'week', 'month', 'year']),
  samples: z.array(z.object({ time: z.number(), values: z.record(z.string(), z.number()) })),
});
export type HistoryDto = z.infer<typeof HistoryDtoSchema>;

/** POST /api/login. The session arrives as an HttpOnly cookie; the body says who you are. */
export const LoginRequestSchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1000),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const SessionDtoSchema = z.object({
  user: z.object({ name: z.string(), role: RoleSchema }),
  /** Epoch ms. */
  expiresAt: z.number(),
});
export type SessionDto = z.infer<typeof SessionDtoSchema>;

/** POST /api/chat (one turn, for scripts): the ChatAnswer (src/protocol/chat.ts) plus `reply` and `mode`. With the AI off or no model, offline command mode answers. */
export const ChatRequestSchema = z.object({
  conversationId: z.string().max(100).optional(),
  message: z.string().min(1).max(8000),
});
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

export const ChatResponseSchema = z.object({
  conversationId: z.string(),
  reply: z.string(),
  /** `model`: answered by a model; `offline`: deterministic offline command mode / no model configured. */
  mode: z.enum(['model', 'offline']),
});
export type ChatResponse = z.infer<typeof ChatResponseSchema>;

/** GET /health (public): overall status and one entry per dependency. Reveals no cluster data. */
export const HealthDtoSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  serverTime: z.number(),
  dependencies: z.record(z.string(), z.object({ status: z.enum(['ok', 'degraded', 'down', 'unknown']), message: z.string().optional() })),
});
export type HealthDto = z.infer<typeof HealthDtoSchema>;
