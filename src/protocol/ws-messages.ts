import { z } from 'zod';
import { ApprovalDtoSchema } from './approvals.ts';
import { TaskDtoSchema } from './actions.ts';
import { AlertDtoSchema, AlertNotifySchema } from './alerts.ts';
import { AuditEntryDtoSchema } from './audit.ts';
import { SnapshotDeltaSchema } from './cluster.ts';
import { EventDtoSchema } from './events.ts';
import { DataHealthSchema, FreezeStateSchema, SettingsSchema, StateDtoSchema } from './http-dtos.ts';

/**
 * WebSocket protocol (server -> client), path `/ws`. Every frame is one JSON envelope
 * `{ type, seq, ts, payload }`:
 * - `seq`: the hub's frame number. Broadcast frames increase it by exactly one; the `snapshot` a client
 *   gets on connect carries the current value (the next broadcast is seq + 1). A client that sees a
 *   gap (seq !== last + 1) or reconnects refetches GET /api/state and ignores frames with seq <= state.seq.
 * - `ts`: server clock (epoch ms) when the frame was sent: clients compute clock offset and data age.
 * - The server batches at most every 100 ms: several messages in one window travel as one `batch` frame
 *   whose payload lists them in order (use `unpackFrame`).
 * Close codes: see WS_CLOSE.
 */
const message = <T extends string, P extends z.ZodType>(type: T, payload: P) => z.object({ type: z.literal(type), payload });

const ChatChunkSchema = z.object({ conversationId: z.string(), messageId: z.string(), text: z.string() });

/** The messages that can travel inside a batch (everything but `snapshot` and `batch`). */
export const ServerMessageSchema = z.discriminatedUnion('type', [
  message('delta', SnapshotDeltaSchema),
  message('event', EventDtoSchema),
  message('health-change', DataHealthSchema),
  message('freeze-change', FreezeStateSchema),
  message('settings-change', SettingsSchema),
  message('approval-request', ApprovalDtoSchema),
  message('approval-resolve', ApprovalDtoSchema),
  message('task-start', TaskDtoSchema),
  message('task-delta', TaskDtoSchema),
  message('task-end', TaskDtoSchema),
  message('audit-append', AuditEntryDtoSchema),
  message('chat-start', ChatChunkSchema),
  message('chat-delta', ChatChunkSchema),
  message('chat-end', ChatChunkSchema),
  message('alert-change', AlertDtoSchema),
  message('alert-notify', AlertNotifySchema),
  /** Sent when nothing else was sent for a while, so clients can tell "quiet" from "dead". */
  message('heartbeat', z.object({})),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ServerMessageType = ServerMessage['type'];

const envelope = { seq: z.number().int().min(0), ts: z.number() };

/** One WebSocket frame as sent by the server. */
export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), payload: StateDtoSchema, ...envelope }),
  z.object({ type: z.literal('batch'), payload: z.object({ messages: z.array(ServerMessageSchema).min(2) }), ...envelope }),
  ...ServerMessageSchema.options.map((option) => option.extend(envelope)),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** The messages a frame carries, in order (a batch expands to its members; a snapshot yields none). */
export function unpackFrame(frame: ServerFrame): ServerMessage[] {
  if (frame.type === 'snapshot') return [];
  if (frame.type === 'batch') return frame.payload.messages;
  return [frame];
}

/** WebSocket close codes the hub uses (4000-4999 are application codes). */
export const WS_CLOSE = {
  /** Server shutting down. */
  goingAway: 1001,
  /** The client sent something the server does not accept (e.g. binary or oversized). */
  policy: 1008,
  /** Too many clients: try again later. */
  tryAgainLater: 1013,
  /** Session missing, expired or revoked. */
  unauthorized: 4401,
  /** Origin not allowed. */
  forbiddenOrigin: 4403,
  /** No pong within the deadline. */
  heartbeatTimeout: 4408,
} as const;
