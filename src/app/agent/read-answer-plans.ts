/**
 * How a read-only chat answer is found again without a model call. The gateway's answer cache is
 * keyed on the question, the tools, the persona, the model and a hash of the framed tool results
 * the answer was built from (issue 10) — but those results come from the model's own tool calls.
 * So the agent remembers, per question and tool subset, the read calls that led to a cached answer
 * (the plan). Asked again within the TTL, it re-runs those reads (reads change nothing), hashes the
 * fresh results and asks the gateway for the final step: unchanged cluster -> the cached answer,
 * no model call; changed cluster -> a different hash, a miss, and the model answers from the fresh
 * results.
 */
import { createHash } from 'node:crypto';
import { normalizeRequestText } from '../../core/llm/classify.ts';
import type { ModelMessage } from '../../core/llm/model-port.ts';

/** One read tool call of a plan (name and validated arguments). */
export interface PlannedRead {
  readonly name: string;
  readonly input: unknown;
}

/** The plan's key: the normalised question and the tool subset (order-free). */
export function readPlanKey(question: string, tools: readonly string[]): string {
  return JSON.stringify([normalizeRequestText(question), [...tools].sort()]);
}

/**
 * Hash of the framed tool results of a turn (tool name, arguments, framed text). The frames'
 * `at="…"` read time is left out: it changes on every read, the data it stamps may not.
 */
export function toolResultsHash(messages: readonly ModelMessage[]): string {
  const results = messages.flatMap((message) => {
    if (message.role === 'assistant') return (message.toolCalls ?? []).map((call) => ['call', call.name, call.input]);
    if (message.role === 'tool') return [['result', message.toolName, message.content.replace(/ at="[^"]*"/g, '')]];
    return [];
  });
  return createHash('sha256').update(JSON.stringify(results)).digest('hex').slice(0, 32);
}

/** Plans by key, expired by the injected clock, bounded in size (oldest dropped first). */
export class ReadAnswerPlans {
  readonly #entries = new Map<string, { reads: readonly PlannedRead[]; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  /** `ttlMs` should match the gateway's answer cache (5 minutes by default). */
  constructor(options: { readonly ttlMs: number; readonly maxEntries?: number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 500;
  }

  get(key: string, now: number): readonly PlannedRead[] | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > now) return entry.reads;
    if (entry) this.#entries.delete(key);
    return undefined;
  }

  set(key: string, reads: readonly PlannedRead[], now: number): void {
    if (this.#ttlMs <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { reads, expiresAt: now + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
