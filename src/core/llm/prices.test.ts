import { describe, expect, it } from 'vitest';
import { costOf, priceFor, validatePriceTable, worstCaseCost } from './prices.ts';

describe('price table', () => {
  it('disables only the model whose entry is broken, with a reason naming the key', () => {
    const table = validatePriceTable({ 'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15 }, 'claude-haiku': { inputPerMTok: -1, outputPerMTok: 5 } });
    expect(priceFor(table, 'cloud', 'claude-sonnet-4-5')).toEqual({
      price: { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 3, cacheWritePerMTok: 3 },
    });
    const broken = priceFor(table, 'cloud', 'claude-haiku');
    expect('reason' in broken && broken.reason).toMatch(/llm\.prices\.claude-haiku: inputPerMTok/);
  });

  it('refuses a cloud model with no price, while a local model without one is free', () => {
    const table = validatePriceTable({});
    expect(priceFor(table, 'cloud', 'claude-x')).toHaveProperty('reason');
    expect(priceFor(table, 'local', 'qwen')).toEqual({ price: { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0, cacheWritePerMTok: 0 } });
  });

  it('rejects strings, NaN, unknown keys and non-objects', () => {
    const table = validatePriceTable({
      a: { inputPerMTok: '3', outputPerMTok: 1 },
      b: { inputPerMTok: Number.NaN, outputPerMTok: 1 },
      c: { inputPerMTok: 1, outputPerMTok: 1, extra: 2 },
      d: 7,
    });
    expect([...table.disabled.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(table.prices.size).toBe(0);
  });

  it('prices cached and written input tokens at their own rates', () => {
    const price = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 };
    const cost = costOf({ inputTokens: 1_000_000, cachedInputTokens: 500_000, cacheWriteTokens: 250_000, outputTokens: 100_000 }, price);
    expect(cost).toBeCloseTo(250_000 * 3e-6 + 500_000 * 0.3e-6 + 250_000 * 3.75e-6 + 100_000 * 15e-6, 10);
  });

  it('never settles above the worst case reserved for the same limits', () => {
    const price = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 };
    for (const [input, cached, written, output] of [
      [1000, 0, 1000, 500],
      [1000, 1000, 0, 500],
      [1000, 0, 0, 500],
    ] as const) {
      expect(costOf({ inputTokens: input, cachedInputTokens: cached, cacheWriteTokens: written, outputTokens: output }, price)).toBeLessThanOrEqual(
        worstCaseCost(1000, 500, price),
      );
    }
  });
});
