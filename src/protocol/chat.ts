import { z } from 'zod';

/**
 * Chat wire contract (issue 11): the same shapes over the WebSocket (streamed) and POST /api/chat
 * (one JSON answer, for scripts).
 *
 * WebSocket: a socket opened at `/ws?chat=1` is a chat socket (no snapshot, no broadcasts). The
 * client sends `ChatClientMessage` JSON frames; the server answers on that socket only with
 * `ChatServerFrame`s `{ type, seq, ts, payload }` where `seq` counts this socket's chat frames
 * (1, 2, 3 ...; a gap means frames were lost: refetch the conversation over HTTP).
 */

/** Who produced an answer, shown on every answer. */
export const ChatOriginSchema = z.object({
  kind: z.enum(['model', 'offline', 'cached', 'simulated']),
  /** Model id as configured (`offline` for the offline mode). */
  model: z.string(),
  /** Human label: `Qwen 2.5 7B (local)`, `simulated model`, `offline mode`, `cached`. */
  label: z.string(),
});
export type ChatOrigin = z.infer<typeof ChatOriginSchema>;

/** One tool call as the chat shows it: arguments, the kernel's verdict, a result summary. */
export const ToolCardSchema = z.object({
  id: z.string(),
  tool: z.string(),
  input: z.record(z.string(), z.unknown()),
  /**
   * `read` = a read tool answered; act verdicts as the executor reported them (ActionOutcome's
   * statuses; `noop` = `done` with `noOp: true`); `invalid` = refused before running (bad arguments).
   */
  verdict: z.enum(['read', 'done', 'noop', 'needs-confirmation', 'denied', 'error', 'invalid']),
  /** Short human summary (sanitised, no frame tags). */
  summary: z.string(),
  reasons: z.array(z.string()).optional(),
  /** Set when a human must approve (the inline approval card). */
  ticket: z.object({ id: z.string(), expiresAt: z.number(), preview: z.string() }).optional(),
});
export type ToolCard = z.infer<typeof ToolCardSchema>;

export const ChatUsageSchema = z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number(), costUsd: z.number() });

/** Why the loop ended. */
export const ChatStopSchema = z.enum(['answer', 'needs-confirmation', 'step-limit', 'time-limit', 'repair-failed', 'model-error', 'aborted', 'offline']);
export type ChatStop = z.infer<typeof ChatStopSchema>;

/** One complete answer (the end of a streamed turn, or the body of POST /api/chat). */
export const ChatAnswerSchema = z.object({
  conversationId: z.string(),
  messageId: z.string(),
  text: z.string(),
  origin: ChatOriginSchema,
  /** The pre-classifier's category: routine | complex | explicit-cloud (offline-mode answers: the category it would have had). */
  category: z.string(),
  /** Why the answer came from elsewhere than the category's default route, if it did. */
  escalation: z.string().optional(),
  usage: ChatUsageSchema,
  latencyMs: z.number(),
  steps: z.number().int(),
  stoppedBy: ChatStopSchema,
  toolCalls: z.array(ToolCardSchema),
  personaVersion: z.string(),
  /** Tools the pre-classifier offered the model. */
  tools: z.array(z.string()),
});
export type ChatAnswer = z.infer<typeof ChatAnswerSchema>;

/** Client -> server frames on a chat socket. */
export const ChatClientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('chat-send'),
    requestId: z.string().min(1).max(100),
    conversationId: z.string().max(100).optional(),
    message: z.string().min(1).max(8000),
  }),
  z.object({ type: z.literal('chat-stop'), requestId: z.string().min(1).max(100) }),
]);
export type ChatClientMessage = z.infer<typeof ChatClientMessageSchema>;

const chatFrame = <T extends string, P extends z.ZodType>(type: T, payload: P) =>
  z.object({ type: z.literal(type), seq: z.number().int().min(1), ts: z.number(), payload });

/** Server -> client frames on a chat socket. */
export const ChatServerFrameSchema = z.discriminatedUnion('type', [
  chatFrame('chat-turn-start', z.object({ requestId: z.string(), conversationId: z.string(), category: z.string(), tools: z.array(z.string()) })),
  chatFrame('chat-text-delta', z.object({ requestId: z.string(), text: z.string() })),
  chatFrame('chat-tool-call', z.object({ requestId: z.string(), card: ToolCardSchema })),
  chatFrame('chat-turn-end', z.object({ requestId: z.string(), answer: ChatAnswerSchema })),
  chatFrame('chat-error', z.object({ requestId: z.string(), code: z.string(), message: z.string() })),
]);
export type ChatServerFrame = z.infer<typeof ChatServerFrameSchema>;

/** GET /api/chat/conversations */
export const ConversationSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  messages: z.number().int(),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;
export const ConversationListSchema = z.object({ conversations: z.array(ConversationSummarySchema) });

/** One stored turn as the dashboard re-shows it. */
export const ConversationEntrySchema = z.object({
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  at: z.number(),
  answer: ChatAnswerSchema.optional(),
});
export const ConversationDtoSchema = z.object({
  id: z.string(),
  title: z.string(),
  entries: z.array(ConversationEntrySchema),
  trimmedSummary: z.string().optional(),
});
export type ConversationDto = z.infer<typeof ConversationDtoSchema>;

/** What the chat can do right now (honest states in the UI). */
export const ChatStatusSchema = z.object({
  mode: z.enum(['off', 'no-model', 'simulated', 'local-only', 'cloud-only', 'hybrid', 'over-budget', 'down']),
  /** One line for the chat header. */
  detail: z.string(),
});
export type ChatStatus = z.infer<typeof ChatStatusSchema>;
