import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { httpUrl } from './fields.ts';

const int = (min: number, max: number, what: string) =>
  z
    .number({ error: `expected ${what} (integer ${min}-${max})` })
    .int({ error: `expected ${what} (integer ${min}-${max})` })
    .min(min, { error: `expected ${what} (integer ${min}-${max})` })
    .max(max, { error: `expected ${what} (integer ${min}-${max})` });

const usd = z
  .number({ error: 'expected an amount in USD (number >= 0)' })
  .min(0, { error: 'expected an amount in USD (number >= 0)' })
  .max(1_000_000, { error: 'expected an amount in USD below 1000000' });

/**
 * `llm`: the model gateway (docs/configuration.md, "Models"). The local model is any
 * OpenAI-compatible server (llama-server recommended); the cloud model is Claude. Keys come from
 * JARVIS_LLM_LOCAL_API_KEY and JARVIS_ANTHROPIC_API_KEY (or their `_FILE` forms), never from here.
 * With neither model configured, `jarvis start` on the embedded simulator uses its simulated models.
 */
export const llmSection = defineSection({
  key: 'llm',
  description: 'language models: local OpenAI-compatible server (llama-server), Claude, prices, spend caps, cache, canary',
  schema: z.strictObject({
    /** false = AI off entirely; dashboard and tools keep working. */
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
    local: z
      .strictObject({
        /** OpenAI-compatible base URL, e.g. http://192.168.1.61:8080/v1 (llama-server). */
        baseUrl: httpUrl().optional(),
        model: z.string({ error: 'expected a model name' }).min(1).max(200).optional(),
        /** Label shown with every answer; default "<model> (local)". */
        label: z.string({ error: 'expected a label' }).min(1).max(80).optional(),
        /** Shared KV pool (llama-server `--kv-unified` / slots on auto): the API cannot tell, so say it. */
        kvUnified: z.union([z.literal('auto'), z.boolean()], { error: 'expected auto, true or false' }).default('auto'),
        /** Override the slot count read from /props (servers without /props need both overrides). */
        slots: int(1, 256, 'a slot count').optional(),
        /** Override the per-slot context read from /props, tokens. */
        slotContext: int(256, 1_048_576, 'a context size in tokens').optional(),
        /** Slots kept free for user requests (background work uses the rest, at least one). */
        reservedUserSlots: int(0, 64, 'a slot count').default(1),
        /** How long background work waits for a slot before it is shed. */
        backgroundWaitSeconds: int(1, 3600, 'seconds').default(30),
        /** Send `id_slot` so a conversation keeps its slot (and its prompt cache). */
        pinSlots: z.boolean({ error: 'expected true or false' }).default(true),
        /** Default `max_tokens` per local call. */
        maxOutputTokens: int(16, 32_768, 'a token count').default(384),
        /** Prompt tokens the tools of one request may cost on the local model, chat template included; compact specs, most relevant tools kept. */
        toolTokenBudget: int(96, 4096, 'a token count').default(256),
        /** How often /props and /slots are read again. */
        capacityRefreshSeconds: int(5, 3600, 'seconds').default(60),
      })
      .prefault({}),
    cloud: z
      .strictObject({
        provider: z.literal('anthropic', { error: 'expected "anthropic"' }).default('anthropic'),
        model: z.string({ error: 'expected a model name' }).min(1).max(200).optional(),
        /** Messages API base (a proxy, or the simulator's fake); default https://api.anthropic.com/v1. */
        baseUrl: httpUrl().optional(),
        /** Context Jarvis lets one cloud request use (cost bound, not the model's window), tokens. */
        maxContextTokens: int(1024, 200_000, 'a token count').default(16_000),
        maxOutputTokens: int(16, 32_768, 'a token count').default(1024),
      })
      .prefault({}),
    /**
     * USD per million tokens per model id: { inputPerMTok, outputPerMTok, cachedInputPerMTok?, cacheWritePerMTok? }.
     * Each entry is checked on its own: a broken one disables only that model, with the reason in
     * status and `jarvis doctor`. A cloud model without a price is off (its spend could not be capped).
     */
    prices: z.record(z.string().min(1).max(200), z.unknown(), { error: 'expected a map of model id -> price' }).default({}),
    /** Cloud spend caps in USD per UTC hour / day / month; unset = no cap of that kind. */
    caps: z
      .strictObject({
        hourlyUsd: usd.optional(),
        dailyUsd: usd.default(5),
        monthlyUsd: usd.optional(),
      })
      .prefault({}),
    cache: z
      .strictObject({
        /** Exact-match cache for read-only answers; 0 turns it off. */
        ttlSeconds: int(0, 86_400, 'seconds').default(300),
      })
      .prefault({}),
    canary: z
      .strictObject({
        /** Ask the local model the management VM's VMID (from topology) every interval. */
        enabled: z.boolean({ error: 'expected true or false' }).default(true),
        intervalMinutes: int(1, 1440, 'minutes').default(30),
      })
      .prefault({}),
  }),
  env: [
    { name: 'JARVIS_LLM_ENABLED', path: ['enabled'], kind: 'boolean' },
    { name: 'JARVIS_LLM_LOCAL_URL', path: ['local', 'baseUrl'], kind: 'string' },
    { name: 'JARVIS_LLM_LOCAL_MODEL', path: ['local', 'model'], kind: 'string' },
    { name: 'JARVIS_LLM_CLOUD_MODEL', path: ['cloud', 'model'], kind: 'string' },
  ],
});
