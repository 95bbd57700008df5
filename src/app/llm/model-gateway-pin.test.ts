/**
 * The gateway's pin over a whole conversation: whatever the providers do (up, down, failing
 * mid-call), the model that answers a conversation changes only by an explicit escalation, and
 * every such change is recorded with its reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { err, jarvisError, ok } from '../../core/errors.ts';
import { INITIAL_CALIBRATION } from '../../core/llm/context-budget.ts';
import type { ModelClient } from '../../core/llm/model-client.ts';
import type { ModelProvider } from '../../core/llm/model-port.ts';
import { AnswerCache } from './answer-cache.ts';
import { LlmGateway, type ProviderPipeline } from './model-gateway.ts';

interface Behaviour {
  unusable: boolean;
  fails: boolean;
}

function pipeline(provider: ModelProvider, behaviour: () => Behaviour): ProviderPipeline {
  const client: ModelClient = {
    provider,
    model: `${provider}-model`,
    label: provider,
    simulated: false,
    doComplete: async () => err(jarvisError('LLM_UNAVAILABLE', 'unused')),
  };
  return {
    client,
    call: async () =>
      behaviour().fails
        ? err(jarvisError('LLM_UNAVAILABLE', `${provider} failed`))
        : ok({
            text: provider,
            toolCalls: [],
            finishReason: 'stop',
            inputTokens: 1,
            outputTokens: 1,
            cachedInputTokens: 0,
            cacheWriteTokens: 0,
            costUsd: 0,
            queueWaitMs: 0,
          }),
    unusableReason: () => (behaviour().unusable ? `${provider} is down` : undefined),
    contextTokens: () => 4096,
    defaultMaxOutputTokens: 128,
    calibration: () => INITIAL_CALIBRATION,
  };
}

const behaviour = fc.record({ unusable: fc.boolean(), fails: fc.boolean() });
const step = fc.record({
  local: behaviour,
  cloud: behaviour,
  category: fc.constantFrom('routine' as const, 'complex' as const, 'explicit-cloud' as const),
  forced: fc.option(fc.constantFrom('local' as const, 'cloud' as const), { nil: undefined }),
  escalate: fc.option(fc.record({ to: fc.constantFrom('local' as const, 'cloud' as const), reason: fc.string({ minLength: 1, maxLength: 20 }) }), {
    nil: undefined,
  }),
  advanceMs: fc.integer({ min: 0, max: 120_000 }),
});

describe('LlmGateway pinning', () => {
  it('a pinned conversation never switches model except by a recorded escalation (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        let now = 0;
        let current = steps[0]!;
        const gateway = new LlmGateway({
          local: pipeline('local', () => current.local),
          cloud: pipeline('cloud', () => current.cloud),
          cache: new AnswerCache({ ttlMs: 0 }),
          now: () => now,
        });
        let answeredBy: ModelProvider | undefined;
        let recorded = 0;
        for (const next of steps) {
          current = next;
          now += next.advanceMs;
          const result = await gateway.complete({
            purpose: 'chat',
            class: 'user',
            category: next.category,
            conversationId: 'c1',
            system: 'persona',
            messages: [{ role: 'user', content: 'q' }],
            ...(next.forced ? { provider: next.forced } : {}),
            ...(next.escalate ? { escalate: next.escalate } : {}),
          });
          const pin = gateway.pinOf('c1');
          if (!result.ok) continue;
          const provider = result.value.origin.provider as ModelProvider;
          if (answeredBy !== undefined && provider !== answeredBy) {
            // The only way across: this request's escalation, recorded with its reason.
            expect(next.escalate?.to).toBe(provider);
            expect(pin?.escalations.at(-1)).toMatchObject({ to: provider, reason: next.escalate!.reason });
          }
          if (next.escalate) expect(provider).toBe(next.escalate.to);
          expect(pin?.provider).toBe(provider);
          answeredBy = provider;
          recorded = pin?.escalations.length ?? 0;
        }
        expect(gateway.pinOf('c1')?.escalations.length ?? 0).toBe(recorded);
      }),
      { numRuns: 300 },
    );
  });
});
