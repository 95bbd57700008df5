/**
 * Reads what a llama-server offers from `/props` (per-slot n_ctx, total_slots, tool-call support,
 * build) and `/slots` (per-slot n_ctx, is_processing), and its `/health`. Configured overrides win
 * (any OpenAI-compatible server without these endpoints works with `llm.local.slots` and
 * `llm.local.slotContext`). Lenient schemas: only the fields Jarvis reads.
 * @see https://github.com/ggml-org/llama.cpp/tree/master/tools/server (GET /props, /slots, /health)
 */
import { z } from 'zod';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { LocalCapacity, LocalCapacityProbe } from '../../core/llm/model-client.ts';
import { retryStaleConnection } from './retry-stale-connection.ts';

const propsSchema = z.looseObject({
  default_generation_settings: z.looseObject({ n_ctx: z.number().int().positive().nullish() }).nullish(),
  total_slots: z.number().int().positive().nullish(),
  chat_template_caps: z.looseObject({ supports_tool_calls: z.boolean().nullish() }).nullish(),
  build_info: z.string().nullish(),
});
const slotsSchema = z.array(
  z.looseObject({ id: z.number().int().nullish(), n_ctx: z.number().int().positive().nullish(), is_processing: z.boolean().nullish() }),
);

export interface LlamaProbeOptions {
  /** The OpenAI-compatible base URL (…/v1); the server root is derived from it. */
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
  readonly slotsOverride?: number | undefined;
  readonly slotContextOverride?: number | undefined;
  readonly fetch?: typeof globalThis.fetch | undefined;
  readonly timeoutMs?: number | undefined;
}

/** `http://host:8080/v1` -> `http://host:8080`. */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export class LlamaCapacityProbe implements LocalCapacityProbe {
  readonly #options: LlamaProbeOptions;
  readonly #fetch: typeof globalThis.fetch;

  constructor(options: LlamaProbeOptions) {
    this.#options = options;
    this.#fetch = retryStaleConnection(options.fetch ?? globalThis.fetch);
  }

  async #get(path: string, signal?: AbortSignal): Promise<Result<{ status: number; body: unknown }, JarvisError>> {
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 5000);
    try {
      const response = await this.#fetch(`${serverRoot(this.#options.baseUrl)}${path}`, {
        headers: this.#options.apiKey ? { authorization: `Bearer ${this.#options.apiKey}` } : {},
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // plain-text bodies are fine for /health
      }
      return ok({ status: response.status, body });
    } catch (cause) {
      return err(
        jarvisError('LLM_UNAVAILABLE', `the local model server is unreachable at ${serverRoot(this.#options.baseUrl)}${path}`, {
          hint: 'check llm.local.baseUrl and that llama-server runs',
          cause,
        }),
      );
    }
  }

  async health(signal?: AbortSignal): Promise<Result<'ok' | 'loading', JarvisError>> {
    const response = await this.#get('/health', signal);
    if (!response.ok) return response;
    if (response.value.status === 200) return ok('ok');
    if (response.value.status === 503) return ok('loading');
    return err(
      jarvisError('LLM_UNAVAILABLE', `the local model server's /health answered HTTP ${response.value.status}`, { details: { status: response.value.status } }),
    );
  }

  async probe(signal?: AbortSignal): Promise<Result<LocalCapacity, JarvisError>> {
    const { slotsOverride, slotContextOverride } = this.#options;
    if (slotsOverride !== undefined && slotContextOverride !== undefined) {
      return ok({ slots: slotsOverride, slotContext: slotContextOverride, supportsToolCalls: undefined, poolAmbiguous: false });
    }
    const props = await this.#get('/props', signal);
    if (!props.ok) return props;
    if (props.value.status === 401)
      return err(
        jarvisError('LLM_AUTH', 'the local model server refused the API key on /props (HTTP 401)', {
          hint: "set JARVIS_LLM_LOCAL_API_KEY (or _FILE) to the server's --api-key",
        }),
      );
    const parsedProps = props.value.status === 200 ? propsSchema.safeParse(props.value.body) : undefined;
    const slots = await this.#get('/slots', signal);
    const parsedSlots = slots.ok && slots.value.status === 200 ? slotsSchema.safeParse(slots.value.body) : undefined;
    const slotList = parsedSlots?.success ? parsedSlots.data : [];
    const propsData = parsedProps?.success ? parsedProps.data : undefined;
    const slotCount = slotsOverride ?? propsData?.total_slots ?? (slotList.length > 0 ? slotList.length : undefined);
    const slotContext = slotContextOverride ?? propsData?.default_generation_settings?.n_ctx ?? slotList[0]?.n_ctx ?? undefined;
    if (slotCount === undefined || slotContext === undefined) {
      return err(
        jarvisError('LLM_BAD_RESPONSE', 'the local model server reports no slots or context size (/props, /slots)', {
          retryable: false,
          hint: 'set llm.local.slots and llm.local.slotContext for a server without /props',
        }),
      );
    }
    return ok({
      slots: slotCount,
      slotContext,
      supportsToolCalls: propsData?.chat_template_caps?.supports_tool_calls ?? undefined,
      build: propsData?.build_info ?? undefined,
      // A shared KV pool and per-slot contexts look the same on the API whenever there is more than one slot.
      poolAmbiguous: slotCount > 1,
    });
  }
}
