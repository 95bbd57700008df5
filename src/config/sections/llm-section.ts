import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { httpUrl } from './fields.ts';

/**
 * `llm`: placeholder owned by the LLM issue. Today it only records where the models are; the
 * Anthropic key comes from JARVIS_ANTHROPIC_API_KEY(_FILE), never from here.
 */
export const llmSection = defineSection({
  key: 'llm',
  description: 'language models (placeholder until the LLM issue): local OpenAI-compatible endpoint and cloud model',
  schema: z.strictObject({
    /** false = AI off entirely; dashboard and tools keep working. */
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
    local: z
      .strictObject({
        /** OpenAI-compatible base URL, e.g. http://192.168.1.61:8080/v1 (llama-server). */
        baseUrl: httpUrl().optional(),
        model: z.string({ error: 'expected a model name' }).optional(),
      })
      .prefault({}),
    cloud: z
      .strictObject({
        provider: z.literal('anthropic', { error: 'expected "anthropic"' }).default('anthropic'),
        model: z.string({ error: 'expected a model name' }).optional(),
      })
      .prefault({}),
  }),
  env: [
    { name: 'JARVIS_LLM_ENABLED', path: ['enabled'], kind: 'boolean' },
    { name: 'JARVIS_LLM_LOCAL_URL', path: ['local', 'baseUrl'], kind: 'string' },
  ],
});
