/**
 * Builds the two production clients: llama-server (or any OpenAI-compatible server) through
 * `@ai-sdk/openai-compatible`, and Claude through `@ai-sdk/anthropic`.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { AiSdkModelClient } from './ai-sdk-model-client.ts';
import { surfaceStreamErrors } from './llama-stream-errors.ts';
import { retryStaleConnection } from './retry-stale-connection.ts';

/** Name under which llama-server body fields travel in providerOptions (spread into the JSON body). */
const LOCAL_PROVIDER_NAME = 'llamacpp';

export interface LocalClientOptions {
  /** OpenAI-compatible base URL ending in /v1. */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string | undefined;
  readonly label?: string | undefined;
  readonly simulated?: boolean | undefined;
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Prompt tokens the tools of one request may cost, template included (compact specs); default 256. */
  readonly toolTokenBudget?: number | undefined;
}

/**
 * llama-server client. Every request carries `parallel_tool_calls: false` (runaway parallel calls
 * are the 7B model's failure mode) and `id_slot` when the scheduler pinned a slot. A request whose
 * keep-alive connection the server had already closed is sent once more (retry-stale-connection.ts).
 */
export function createLocalModelClient(options: LocalClientOptions): AiSdkModelClient {
  const provider = createOpenAICompatible({
    name: LOCAL_PROVIDER_NAME,
    baseURL: options.baseUrl,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    includeUsage: true,
    fetch: surfaceStreamErrors(retryStaleConnection(options.fetch)),
  });
  return new AiSdkModelClient({
    provider: 'local',
    model: options.model,
    label: options.label ?? `${options.model} (local)`,
    simulated: options.simulated ?? false,
    languageModel: provider.chatModel(options.model),
    toolTokenBudget: options.toolTokenBudget ?? 256,
    callOptions: (call) => ({
      [LOCAL_PROVIDER_NAME]: {
        ...(call.tools && call.tools.length > 0 ? { parallel_tool_calls: false } : {}),
        ...(call.slotId !== undefined ? { id_slot: call.slotId } : {}),
        cache_prompt: true,
      },
    }),
  });
}

export interface CloudClientOptions {
  readonly model: string;
  readonly apiKey: string;
  /** Override for the Messages API base (the simulator's fake); default api.anthropic.com. */
  readonly baseUrl?: string | undefined;
  readonly label?: string | undefined;
  readonly simulated?: boolean | undefined;
  readonly fetch?: typeof globalThis.fetch | undefined;
}

/** Claude client with a prompt-cache breakpoint on the system prompt and the tool list. */
export function createCloudModelClient(options: CloudClientOptions): AiSdkModelClient {
  const provider = createAnthropic({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return new AiSdkModelClient({
    provider: 'cloud',
    model: options.model,
    label: options.label ?? `${options.model} (Claude)`,
    simulated: options.simulated ?? false,
    languageModel: provider.messages(options.model),
    cacheBreakpoint: { anthropic: { cacheControl: { type: 'ephemeral' } } },
    callOptions: (call) => (call.tools && call.tools.length > 0 ? { anthropic: { disableParallelToolUse: true } } : undefined),
  });
}
