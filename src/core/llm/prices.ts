/**
 * Price table arithmetic: USD per million tokens per model, validated one model at a time so a
 * broken entry disables only that model (with a visible reason) and never the whole gateway.
 */
import type { ModelProvider } from './model-port.ts';

export interface ModelPrice {
  /** USD per million uncached input tokens. */
  readonly inputPerMTok: number;
  /** USD per million output tokens. */
  readonly outputPerMTok: number;
  /** USD per million input tokens read from the provider's prompt cache (defaults to the input price). */
  readonly cachedInputPerMTok: number;
  /** USD per million input tokens written to the provider's prompt cache (defaults to the input price). */
  readonly cacheWritePerMTok: number;
}

export interface PriceTableResult {
  readonly prices: ReadonlyMap<string, ModelPrice>;
  /** Models whose entry is unusable, with the reason shown in status and doctor. */
  readonly disabled: ReadonlyMap<string, string>;
}

export const FREE: ModelPrice = { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0, cacheWritePerMTok: 0 };

const FIELDS = ['inputPerMTok', 'outputPerMTok', 'cachedInputPerMTok', 'cacheWritePerMTok'] as const;

function checkPrice(raw: unknown): { price: ModelPrice } | { reason: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { reason: 'expected an object with inputPerMTok and outputPerMTok (USD per million tokens)' };
  const entry = raw as Record<string, unknown>;
  const unknownKeys = Object.keys(entry).filter((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknownKeys.length > 0) return { reason: `unknown price key ${unknownKeys.map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}` };
  const values: Record<string, number> = {};
  for (const field of FIELDS) {
    const value = entry[field];
    const required = field === 'inputPerMTok' || field === 'outputPerMTok';
    if (value === undefined && !required) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 10_000) {
      return { reason: `${field} must be a number of USD per million tokens between 0 and 10000` };
    }
    values[field] = value;
  }
  const input = values['inputPerMTok'] as number;
  return {
    price: {
      inputPerMTok: input,
      outputPerMTok: values['outputPerMTok'] as number,
      cachedInputPerMTok: values['cachedInputPerMTok'] ?? input,
      cacheWritePerMTok: values['cacheWritePerMTok'] ?? input,
    },
  };
}

/** Validates every entry of `llm.prices` independently. */
export function validatePriceTable(raw: Readonly<Record<string, unknown>>): PriceTableResult {
  const prices = new Map<string, ModelPrice>();
  const disabled = new Map<string, string>();
  for (const [model, entry] of Object.entries(raw)) {
    const checked = checkPrice(entry);
    if ('price' in checked) prices.set(model, checked.price);
    else disabled.set(model, `llm.prices.${model}: ${checked.reason}`);
  }
  return { prices, disabled };
}

/**
 * The price a configured model runs at, or why it may not run. A local model without an entry is
 * free; a cloud model without a valid entry is disabled (spend could not be capped).
 */
export function priceFor(table: PriceTableResult, provider: ModelProvider, model: string): { price: ModelPrice } | { reason: string } {
  const broken = table.disabled.get(model);
  if (broken !== undefined) return { reason: broken };
  const price = table.prices.get(model);
  if (price !== undefined) return { price };
  if (provider === 'local') return { price: FREE };
  return { reason: `no price for ${model} in llm.prices: the cloud model is off until one is set (spend could not be capped)` };
}

export interface TokenCounts {
  /** All input tokens including cached ones. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  readonly cacheWriteTokens?: number | undefined;
}

const perToken = (perMTok: number): number => perMTok / 1_000_000;

/** Cost in USD of a settled call. */
export function costOf(tokens: TokenCounts, price: ModelPrice): number {
  const cached = Math.max(0, Math.min(tokens.cachedInputTokens, tokens.inputTokens));
  const written = Math.max(0, Math.min(tokens.cacheWriteTokens ?? 0, tokens.inputTokens - cached));
  const plain = Math.max(0, tokens.inputTokens - cached - written);
  return (
    plain * perToken(price.inputPerMTok) +
    cached * perToken(price.cachedInputPerMTok) +
    written * perToken(price.cacheWritePerMTok) +
    Math.max(0, tokens.outputTokens) * perToken(price.outputPerMTok)
  );
}

/**
 * The most a call can cost: every input token at the dearest input rate plus every allowed output
 * token. Reserved before the call, so a settled cost never exceeds it.
 */
export function worstCaseCost(maxInputTokens: number, maxOutputTokens: number, price: ModelPrice): number {
  const dearestInput = Math.max(price.inputPerMTok, price.cachedInputPerMTok, price.cacheWritePerMTok);
  return Math.max(0, maxInputTokens) * perToken(dearestInput) + Math.max(0, maxOutputTokens) * perToken(price.outputPerMTok);
}
