/**
 * The provider edge the gateway's layers wrap: one call to one model, no retries, no routing.
 * Implemented by adapters/llm (AI SDK: openai-compatible for llama-server, anthropic for Claude)
 * and by scripted fakes in tests. `do`-prefixed: only the gateway's layers call it.
 */
import type { JarvisError, Result } from '../errors.ts';
import type { ModelFinishReason, ModelMessage, ModelProvider, ModelToolCall, ModelToolSpec } from './model-port.ts';

export interface ModelClientCall {
  readonly system: string;
  readonly messages: readonly ModelMessage[];
  readonly tools?: readonly ModelToolSpec[] | undefined;
  /** Always set by the gateway (llama-server stops at the slot otherwise; Anthropic requires it). */
  readonly maxOutputTokens: number;
  readonly signal?: AbortSignal | undefined;
  /** llama-server slot to run on (`id_slot`), when the scheduler pins one. */
  readonly slotId?: number | undefined;
  readonly onTextDelta?: ((delta: string) => void) | undefined;
}

export interface ModelClientOutput {
  readonly text: string;
  readonly toolCalls: readonly ModelToolCall[];
  readonly finishReason: ModelFinishReason;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  readonly cacheWriteTokens: number;
}

export interface ModelClient {
  readonly provider: ModelProvider;
  /** Model id as configured. */
  readonly model: string;
  /** Human label for ModelOrigin. */
  readonly label: string;
  /** True for Jarvis's own simulated model. */
  readonly simulated: boolean;
  /**
   * Small-model tool policy (the local client): send each tool's `compact` spec, and keep the
   * tools' prompt cost within this many tokens, template included (core/llm/tool-budget.ts).
   */
  readonly toolTokenBudget?: number | undefined;
  /** One call. Never throws: SDK/HTTP failures come back as LLM_* errors (details.status, details.retryAfterMs). */
  doComplete(call: ModelClientCall): Promise<Result<ModelClientOutput, JarvisError>>;
}

/** What a llama-server (or an OpenAI-compatible server with overrides) offers. */
export interface LocalCapacity {
  readonly slots: number;
  /** Context per slot, tokens. */
  readonly slotContext: number;
  readonly supportsToolCalls: boolean | undefined;
  readonly build?: string | undefined;
  /** True when the server reports the whole context on every slot (shared pool or one slot). */
  readonly poolAmbiguous: boolean;
}

export interface LocalCapacityProbe {
  /** Reads /props and /slots (or returns the configured overrides). Never throws. */
  probe(signal?: AbortSignal): Promise<Result<LocalCapacity, JarvisError>>;
  /** `/health`: up, loading or down. */
  health(signal?: AbortSignal): Promise<Result<'ok' | 'loading', JarvisError>>;
}
