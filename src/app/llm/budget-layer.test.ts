/**
 * The budget layer over the real SQLite ledger: whatever the interleaving of 50 concurrent calls
 * (random worst cases, failures, aborts and settlements), no cap window is ever exceeded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../adapters/sqlite/open-database.ts';
import { SqliteSpendLedger } from '../../adapters/sqlite/sqlite-spend-ledger.ts';
import { jarvisError, err, ok } from '../../core/errors.ts';
import { capWindow } from '../../core/llm/budget-caps.ts';
import { budgetLayer } from './budget-layer.ts';
import type { CallModel, LayerCall } from './model-layers.ts';

const PRICE = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 };

const call = (maxOutputTokens: number, text: string): LayerCall => ({
  request: { purpose: 'chat', class: 'user', category: 'complex', system: 's', messages: [{ role: 'user', content: text }] },
  messages: [{ role: 'user', content: text }],
  maxOutputTokens,
});

describe('budget layer', () => {
  it('50 concurrent reservations with random costs, failures and settlements never exceed any cap (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            maxOutputTokens: fc.integer({ min: 1, max: 4000 }),
            promptChars: fc.integer({ min: 1, max: 20_000 }),
            outcome: fc.constantFrom('ok', 'fail', 'abort'),
            usedFraction: fc.double({ min: 0, max: 1, noNaN: true }),
            delayTicks: fc.integer({ min: 0, max: 5 }),
          }),
          { minLength: 50, maxLength: 50 },
        ),
        fc.record({
          hourly: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
          daily: fc.double({ min: 0.001, max: 1, noNaN: true }),
          monthly: fc.double({ min: 0.001, max: 2, noNaN: true }),
        }),
        async (calls, caps) => {
          const ledger = new SqliteSpendLedger(openDatabase(':memory:'));
          const now = Date.parse('2026-12-04T15:30:00Z');
          const layer = budgetLayer({ ledger, provider: 'cloud', model: 'claude', price: PRICE, caps: () => caps, now: () => now });
          let maxSeen = 0;
          const observe = (): void => {
            for (const cap of ['hourly', 'daily', 'monthly'] as const) maxSeen = Math.max(maxSeen, ledger.committed(capWindow(cap, now).start) - caps[cap]);
          };
          const results = await Promise.all(
            calls.map((spec) => {
              const inner: CallModel = async (layerCall) => {
                observe();
                for (let tick = 0; tick < spec.delayTicks; tick += 1) await Promise.resolve();
                if (spec.outcome === 'fail') return err(jarvisError('LLM_UNAVAILABLE', 'down'));
                if (spec.outcome === 'abort') return err(jarvisError('LLM_TIMEOUT', 'aborted', { details: { aborted: true } }));
                const inputTokens = Math.floor(
                  layerCall.messages[0]!.role === 'user' ? (layerCall.messages[0] as { content: string }).content.length * spec.usedFraction : 0,
                );
                const outputTokens = Math.floor(layerCall.maxOutputTokens * spec.usedFraction);
                return ok({
                  text: 'x',
                  toolCalls: [],
                  finishReason: 'stop',
                  inputTokens,
                  outputTokens,
                  cachedInputTokens: 0,
                  cacheWriteTokens: 0,
                  costUsd: 0,
                  queueWaitMs: 0,
                });
              };
              return layer(inner)(call(spec.maxOutputTokens, 'a'.repeat(spec.promptChars)));
            }),
          );
          observe();
          expect(maxSeen).toBeLessThanOrEqual(1e-9);
          // Refusals name the cap that tripped.
          for (const result of results)
            if (!result.ok && result.error.code === 'LLM_BUDGET_EXCEEDED') expect(['hourly', 'daily', 'monthly']).toContain(result.error.details?.['cap']);
          ledger.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('settles the real cost and releases a call that failed before an answer', async () => {
    const ledger = new SqliteSpendLedger(openDatabase(':memory:'));
    const layer = budgetLayer({ ledger, provider: 'cloud', model: 'claude', price: PRICE, caps: () => ({ daily: 10 }), now: () => 0 });
    const answered = await layer(async () =>
      ok({
        text: 'x',
        toolCalls: [],
        finishReason: 'stop',
        inputTokens: 1000,
        outputTokens: 100,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        queueWaitMs: 0,
      }),
    )(call(500, 'hello'));
    expect(answered.ok && answered.value.costUsd).toBeCloseTo(1000 * 3e-6 + 100 * 15e-6, 12);
    await layer(async () => err(jarvisError('LLM_UNAVAILABLE', 'down')))(call(500, 'hello'));
    expect(ledger.committed(0)).toBeCloseTo(1000 * 3e-6 + 100 * 15e-6, 12);
  });
});
