import type { OfflineWorld } from '../../core/agent/offline/index.ts';
/**
 * What the chat agent needs (ports and limits) and what it reports while it runs. The agent adds
 * no new way to act: every tool call goes through runTool (validation, deadline, kernel via the
 * executor, audit via the context's observer).
 */
import type { Actor } from '../../core/domain/action.ts';
import type { ModelGateway, ModelMessage, RequestCategory } from '../../core/llm/model-port.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { ChatAnswer, ToolCard } from '../../protocol/chat.ts';
import type { AnyToolDefinition, ToolContext } from '../tools/index.ts';
import type { ReadAnswerPlans } from './read-answer-plans.ts';

/** The deterministic pre-classifier (src/core/llm/classify.ts): category + the 1-3 tools a request needs. */
/** The pre-classifier; `world` (the live names) lets it read "restart home-assistant" as a guest action. */
export type RequestClassifier = (
  text: string,
  world?: OfflineWorld,
) => { readonly category: RequestCategory; readonly tools: readonly string[]; readonly reasons: readonly string[] };

/**
 * Context injected into the system prompt (memory): called with the token share it may use;
 * returns blocks that are already framed/sanitised by the provider.
 */
export type ContextProvider = (request: {
  readonly conversationId: string;
  readonly text: string;
  readonly user: string;
  readonly budgetTokens: number;
}) => Promise<readonly string[]>;

export interface AgentLimits {
  /** Model calls per turn when the local model answers (small: a 7B model rarely completes multi-step work). */
  readonly maxStepsLocal: number;
  /** Model calls per turn when Claude answers. */
  readonly maxStepsCloud: number;
  /** Wall-clock bound of one turn (ms), model calls and tools included. */
  readonly turnTimeoutMs: number;
  /** Output tokens asked per call. */
  readonly maxOutputTokens: number;
  /** Share (0..1) of `contextBudget` that context providers (memory) may fill. */
  readonly memoryShare: number;
}

export const DEFAULT_AGENT_LIMITS: AgentLimits = { maxStepsLocal: 3, maxStepsCloud: 6, turnTimeoutMs: 90_000, maxOutputTokens: 384, memoryShare: 0.5 };

export interface AgentDeps {
  readonly gateway: ModelGateway;
  readonly classify: RequestClassifier;
  /** The tool registry (ALL_TOOLS); the classifier picks the subset. */
  readonly tools: readonly AnyToolDefinition[];
  /** A tool context for this caller (the actor is recorded on every proposal and audit row). */
  readonly toolContext: (actor: Actor) => ToolContext;
  readonly clock: Clock;
  readonly limits?: Partial<AgentLimits> | undefined;
  readonly contextProviders?: readonly ContextProvider[] | undefined;
  /** The read calls behind cached read-only answers; absent = the agent never asks the gateway's cache. */
  readonly readPlans?: ReadAnswerPlans | undefined;
}

/** Streamed while a turn runs (WebSocket frames are built from these). */
export type AgentEvent = { readonly type: 'text-delta'; readonly text: string } | { readonly type: 'tool-call'; readonly card: ToolCard };

export interface AgentTurnRequest {
  readonly conversationId: string;
  readonly messageId: string;
  readonly user: string;
  readonly text: string;
  /** The request's classification when the caller already made it (with the live names). */
  readonly classification?: ReturnType<RequestClassifier> | undefined;
  /** Earlier turns, already trimmed to the budget. */
  readonly history: readonly ModelMessage[];
  readonly signal?: AbortSignal | undefined;
  readonly onEvent?: ((event: AgentEvent) => void) | undefined;
  /** The ledger's link for this turn's model calls (default: `chatTurnAuditId`). */
  readonly auditId?: string | undefined;
}

export interface AgentTurnResult {
  readonly answer: ChatAnswer;
  /** The messages this turn added (assistant/tool), for the conversation store. */
  readonly added: readonly ModelMessage[];
}
