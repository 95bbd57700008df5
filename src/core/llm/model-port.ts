/**
 * The model port: what a model call needs and returns, in Jarvis's own terms (no SDK types).
 * The LLM gateway (adapters/llm + app composition: scheduler, budgets, cache, routing,
 * degradation, canary) implements `ModelGateway`; the chat agent, the monitor's analysis, memory
 * consolidation and the eval harness call it and never know which provider answered.
 *
 * Shared contract between the gateway, agent, memory and monitor work: extend, don't repurpose.
 */
import type { JarvisError, Result } from '../errors.ts';

/** Admission class in the local slot scheduler: a user request never waits behind background work. */
export type ModelRequestClass = 'user' | 'background';

/** The deterministic pre-classifier's category (routing: routine -> local, complex -> cloud when allowed). */
export type RequestCategory = 'routine' | 'complex' | 'explicit-cloud';

export type ModelProvider = 'local' | 'cloud';

export interface ModelToolCall {
  readonly id: string;
  readonly name: string;
  /** Parsed arguments (the gateway parses the provider's JSON; unparseable text arrives as `{ __raw: string }`). */
  readonly input: unknown;
}

export type ModelMessage =
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ModelToolCall[] | undefined }
  /** A tool result: `content` is already framed (`<cluster_data ...>`) by the tools layer. */
  | { readonly role: 'tool'; readonly toolCallId: string; readonly toolName: string; readonly content: string };

export interface ModelToolSpec {
  readonly name: string;
  /** Model-facing description. */
  readonly description: string;
  /** JSON Schema of the input object. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
  /**
   * The same tool for a small local model: terse description, schema stripped to what a grammar
   * needs (same argument names, types, enums, required). Clients that prefer compact specs use it.
   */
  readonly compact?: { readonly description: string; readonly inputSchema: Readonly<Record<string, unknown>> } | undefined;
}

export interface ModelRequest {
  /** What the call is for, recorded in the ledger: `chat`, `monitor-analysis`, `canary`, `memory-consolidation`, `eval`. */
  readonly purpose: string;
  readonly class: ModelRequestClass;
  readonly category: RequestCategory;
  /** Conversation the call belongs to: pins the model (and optionally a llama-server slot). */
  readonly conversationId?: string | undefined;
  /** The persona / system prompt (identical for every model). */
  readonly system: string;
  readonly messages: readonly ModelMessage[];
  /** The 1-3 tools the pre-classifier chose; empty = no tools. */
  readonly tools?: readonly ModelToolSpec[] | undefined;
  readonly maxOutputTokens?: number | undefined;
  /** Forces a provider (e.g. the eval harness or an explicit cloud request); the gateway may still refuse (budget, down). Ignored for a pinned conversation. */
  readonly provider?: ModelProvider | undefined;
  /**
   * An explicit escalation: the only way a pinned conversation changes model. The call goes to
   * `to` (or to no model when `to` is unusable: never back to the old pin), the result's
   * `escalation` carries the reason, and a successful call re-pins the conversation to `to`.
   */
  readonly escalate?: { readonly to: ModelProvider; readonly reason: string } | undefined;
  /** Streaming: called with each text delta as it arrives. */
  readonly onTextDelta?: ((delta: string) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Audit row this call belongs to (ledger link). */
  readonly auditId?: string | undefined;
  /** Read-only answers may be cached: the caller passes a hash of the framed tool results it used. */
  readonly cacheKeyExtra?: string | undefined;
}

export type ModelFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface ModelUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  /** USD, from the configured price table (0 for local). */
  readonly costUsd: number;
}

/** Who produced an answer: shown on every answer in the UI and recorded in the ledger. */
export interface ModelOrigin {
  readonly provider: ModelProvider | 'cache' | 'offline';
  /** Model id as configured, e.g. `qwen2.5-7b-instruct-q4_k_m`, `claude-sonnet-4-5`. */
  readonly model: string;
  /** Human label, e.g. `Qwen 2.5 7B (local)`, `simulated model`, `cached`, `offline mode`. */
  readonly label: string;
  /** True when the answering server is Jarvis's own simulated model. */
  readonly simulated: boolean;
}

export interface ModelResult {
  readonly text: string;
  readonly toolCalls: readonly ModelToolCall[];
  readonly finishReason: ModelFinishReason;
  readonly usage: ModelUsage;
  readonly origin: ModelOrigin;
  /** Why the call went elsewhere than its category's default route (cloud down, over budget, ...). */
  readonly escalation?: { readonly from: ModelProvider; readonly to: ModelProvider | 'offline'; readonly reason: string } | undefined;
  readonly cached: boolean;
  readonly latencyMs: number;
  /** Offered tools the local model's tool-token budget left out (most relevant kept). */
  readonly droppedTools?: readonly string[] | undefined;
}

/** What the gateway can do right now (dashboard AI status, doctor, chat's honest states). */
export interface ModelGatewayStatus {
  /** `off` = AI switched off; `no-model` = none configured; `simulated`, `local-only`, `cloud-only`, `hybrid`, `over-budget`, `down`. */
  readonly mode: 'off' | 'no-model' | 'simulated' | 'local-only' | 'cloud-only' | 'hybrid' | 'over-budget' | 'down';
  readonly local?:
    { readonly model: string; readonly up: boolean; readonly slots?: number; readonly slotContext?: number; readonly reason?: string } | undefined;
  readonly cloud?:
    | {
        readonly model: string;
        readonly up: boolean;
        readonly overBudget?: { readonly cap: string; readonly resetsAt: number } | undefined;
        readonly reason?: string;
      }
    | undefined;
  readonly canary?: { readonly ok: boolean; readonly at: number; readonly detail?: string } | undefined;
}

export interface ModelGateway {
  /**
   * One model call through every layer (admission, budget reservation, cache, routing,
   * degradation). Never throws: failures are LLM_* JarvisErrors.
   */
  complete(request: ModelRequest): Promise<Result<ModelResult, JarvisError>>;
  status(): ModelGatewayStatus;
  /**
   * Tokens available for injected context (memory, history) for a request of this class and
   * category after system, tools, query and response reserve: the budget the agent and memory
   * selection cut to.
   */
  contextBudget(request: Pick<ModelRequest, 'class' | 'category' | 'system' | 'tools' | 'messages' | 'maxOutputTokens'>): number;
}
