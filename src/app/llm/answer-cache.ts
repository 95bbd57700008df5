/**
 * Exact-match cache for read-only answers (5 minutes by default): keyed by `core/llm/cache-key`,
 * bounded in size, expired by the injected clock. Only final answers (no tool calls, finish
 * `stop`) of requests that passed `cacheKeyExtra` are stored.
 */
import type { ModelResult } from '../../core/llm/model-port.ts';

export class AnswerCache {
  readonly #entries = new Map<string, { result: ModelResult; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  hits = 0;
  misses = 0;

  constructor(options: { ttlMs: number; maxEntries?: number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 500;
  }

  get(key: string, now: number): ModelResult | undefined {
    const entry = this.#entries.get(key);
    if (!entry || entry.expiresAt <= now) {
      if (entry) this.#entries.delete(key);
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    return entry.result;
  }

  set(key: string, result: ModelResult, now: number): void {
    if (this.#ttlMs <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { result, expiresAt: now + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  get size(): number {
    return this.#entries.size;
  }
}
