/**
 * A `ModelClient` over one AI SDK 6 language model: converts Jarvis messages and tool specs to
 * the SDK's, streams, and maps the outcome back. SDK retries are off (`maxRetries: 0`): one
 * reservation pays for exactly one HTTP call; retries belong to the gateway.
 *
 * Provider quirks come in as options (extra body fields for llama-server, cache breakpoints for
 * Anthropic) rather than branches on a vendor name.
 */
import { jsonSchema, streamText, tool, type LanguageModel, type ModelMessage as SdkMessage, type ToolSet } from 'ai';
import { err, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { ModelClient, ModelClientCall, ModelClientOutput } from '../../core/llm/model-client.ts';
import type { ModelFinishReason, ModelMessage, ModelProvider, ModelToolCall, ModelToolSpec } from '../../core/llm/model-port.ts';
import { mapLlmError } from './map-llm-error.ts';

type ProviderOptions = Record<string, Record<string, unknown>>;

export interface AiSdkClientOptions {
  readonly provider: ModelProvider;
  readonly model: string;
  readonly label: string;
  readonly simulated: boolean;
  readonly languageModel: LanguageModel;
  /** Extra provider options per call (e.g. llama-server body fields; `id_slot` is added per call). */
  readonly callOptions?: (call: ModelClientCall) => ProviderOptions | undefined;
  /** Provider options on the system prompt and on the last tool (Anthropic `cache_control`). */
  readonly cacheBreakpoint?: ProviderOptions | undefined;
  readonly now?: () => number;
  /** Small-model tool policy: compact specs within this many prompt tokens (ModelClient.toolTokenBudget). */
  readonly toolTokenBudget?: number | undefined;
}

function toSdkMessages(messages: readonly ModelMessage[]): SdkMessage[] {
  return messages.map((message): SdkMessage => {
    if (message.role === 'user') return { role: 'user', content: message.content };
    if (message.role === 'tool') {
      return {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: message.toolCallId, toolName: message.toolName, output: { type: 'text', value: message.content } }],
      };
    }
    const calls = (message.toolCalls ?? []).map((call) => ({ type: 'tool-call' as const, toolCallId: call.id, toolName: call.name, input: call.input ?? {} }));
    return { role: 'assistant', content: [...(message.content ? [{ type: 'text' as const, text: message.content }] : []), ...calls] };
  });
}

function toSdkTools(tools: readonly ModelToolSpec[] | undefined, breakpoint: ProviderOptions | undefined): ToolSet | undefined {
  if (!tools || tools.length === 0) return undefined;
  const set: ToolSet = {};
  tools.forEach((spec, index) => {
    const last = index === tools.length - 1;
    set[spec.name] = tool({
      description: spec.description,
      inputSchema: jsonSchema(spec.inputSchema as Parameters<typeof jsonSchema>[0]),
      ...(last && breakpoint ? { providerOptions: breakpoint as never } : {}),
    });
  });
  return set;
}

const FINISH: Record<string, ModelFinishReason> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool-calls',
  'content-filter': 'content-filter',
  error: 'error',
};

export class AiSdkModelClient implements ModelClient {
  readonly provider: ModelProvider;
  readonly model: string;
  readonly label: string;
  readonly simulated: boolean;
  readonly toolTokenBudget: number | undefined;
  readonly #options: AiSdkClientOptions;

  constructor(options: AiSdkClientOptions) {
    this.provider = options.provider;
    this.model = options.model;
    this.label = options.label;
    this.simulated = options.simulated;
    this.toolTokenBudget = options.toolTokenBudget;
    this.#options = options;
  }

  async doComplete(call: ModelClientCall): Promise<Result<ModelClientOutput, JarvisError>> {
    const now = this.#options.now ?? Date.now;
    const breakpoint = this.#options.cacheBreakpoint;
    let failure: unknown;
    try {
      const result = streamText({
        model: this.#options.languageModel,
        system: breakpoint ? { role: 'system', content: call.system, providerOptions: breakpoint as never } : call.system,
        messages: toSdkMessages(call.messages),
        ...(call.tools && call.tools.length > 0 ? { tools: toSdkTools(call.tools, breakpoint) } : {}),
        maxOutputTokens: call.maxOutputTokens,
        maxRetries: 0,
        ...(call.signal ? { abortSignal: call.signal } : {}),
        providerOptions: (this.#options.callOptions?.(call) ?? {}) as never,
        onError: ({ error }) => {
          failure ??= error;
        },
      });
      let text = '';
      const toolCalls: ModelToolCall[] = [];
      let finishReason: ModelFinishReason = 'other';
      let usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta') {
          text += part.text;
          call.onTextDelta?.(part.text);
        } else if (part.type === 'tool-call') {
          const invalid = (part as { invalid?: boolean }).invalid === true;
          const input = invalid && typeof part.input === 'string' ? { __raw: part.input } : part.input;
          toolCalls.push({ id: part.toolCallId, name: part.toolName, input });
        } else if (part.type === 'error') {
          failure ??= part.error;
        } else if (part.type === 'abort') {
          // The SDK ends an aborted stream with an 'abort' part, not an error: a cut answer is no answer.
          failure ??= Object.assign(new Error('the model call was aborted'), { name: 'AbortError' });
        } else if (part.type === 'finish') {
          finishReason = FINISH[part.finishReason] ?? 'other';
          const total = part.totalUsage;
          usage = {
            inputTokens: total.inputTokens ?? 0,
            outputTokens: total.outputTokens ?? 0,
            cachedInputTokens: total.inputTokenDetails?.cacheReadTokens ?? 0,
            cacheWriteTokens: total.inputTokenDetails?.cacheWriteTokens ?? 0,
          };
        }
      }
      if (failure === undefined && call.signal?.aborted) failure = Object.assign(new Error('the model call was aborted'), { name: 'AbortError' });
      if (failure !== undefined) return err(mapLlmError(failure, this.provider, now()));
      return ok({ text, toolCalls, finishReason, ...usage });
    } catch (thrown) {
      return err(mapLlmError(failure ?? thrown, this.provider, now()));
    }
  }
}
