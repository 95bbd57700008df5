/**
 * Scripting shared by the LLM fakes, in the spirit of the PVE faults: a FIFO queue of scripted
 * replies (text, tool calls, wire errors, delays, truncation) consumed one per request, and a log
 * of every request received so tests can assert what the client sent (`parallel_tool_calls`,
 * `max_tokens`, `cache_control`, `id_slot`, ...). Admin routes: docs/simulator.md.
 */
import { z } from 'zod';

export const scriptedReplySchema = z
  .object({
    /** Only a request whose last user message contains this text (case-insensitive) takes this reply. */
    match: z.string().min(1).optional(),
    /** Assistant text. */
    text: z.string().optional(),
    /** Tool calls; `arguments` as an object or as raw JSON text (raw text may be malformed on purpose). */
    toolCalls: z.array(z.object({ name: z.string().min(1), arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).default({}) })).optional(),
    /** A wire error instead of a reply: the provider's error shape with this status. */
    error: z
      .object({
        status: z.number().int().min(400).max(599),
        type: z.string().min(1).optional(),
        message: z.string().optional(),
        /** Sent as the `retry-after` header (seconds). */
        retryAfterSeconds: z.number().int().min(0).optional(),
      })
      .optional(),
    /** Time the slot (or the API) takes before answering. */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /** Generation stops after this many output tokens with finish reason "length" / stop_reason "max_tokens". */
    truncateAfterTokens: z.number().int().min(0).optional(),
    /** Usage overrides (Anthropic fake): cache read / creation tokens reported. */
    cacheReadTokens: z.number().int().min(0).optional(),
    cacheCreationTokens: z.number().int().min(0).optional(),
  })
  .strict();

export type ScriptedReply = z.infer<typeof scriptedReplySchema>;

export class ScriptQueue {
  readonly #items: ScriptedReply[] = [];

  push(...items: ScriptedReply[]): void {
    this.#items.push(...items);
  }

  /** Removes and returns the first reply that applies to a request with this last user message. */
  take(lastUserText: string): ScriptedReply | undefined {
    const lower = lastUserText.toLowerCase();
    const index = this.#items.findIndex((item) => item.match === undefined || lower.includes(item.match.toLowerCase()));
    return index < 0 ? undefined : this.#items.splice(index, 1)[0];
  }

  list(): readonly ScriptedReply[] {
    return [...this.#items];
  }

  clear(): void {
    this.#items.length = 0;
  }
}

export interface RecordedRequest {
  readonly seq: number;
  readonly at: number;
  readonly method: string;
  /** Path with query string. */
  readonly path: string;
  /** Header names in lower case; credentials (`authorization`, `x-api-key`) as `<redacted>`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body (undefined when none or not JSON). */
  readonly body: unknown;
}

const MAX_RECORDED = 2000;

export class RequestLog {
  readonly #items: RecordedRequest[] = [];
  #seq = 0;

  record(entry: Omit<RecordedRequest, 'seq' | 'headers'> & { headers: Record<string, string | string[] | undefined> }): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(entry.headers)) {
      if (value === undefined) continue;
      headers[name] = name === 'authorization' || name === 'x-api-key' ? '<redacted>' : Array.isArray(value) ? value.join(', ') : value;
    }
    this.#items.push({ ...entry, headers, seq: ++this.#seq });
    if (this.#items.length > MAX_RECORDED) this.#items.shift();
  }

  list(): readonly RecordedRequest[] {
    return [...this.#items];
  }

  clear(): void {
    this.#items.length = 0;
  }
}

export interface AdminReply {
  readonly status: number;
  readonly body: unknown;
}

/** Admin routes common to both fakes, relative to `/llm/<name>`: script queue and request log. */
export function scriptAdminRoute(script: ScriptQueue, log: RequestLog, method: string, rest: string, body: unknown): AdminReply | undefined {
  if (rest === '/script' && method === 'GET') return { status: 200, body: script.list() };
  if (rest === '/script' && method === 'DELETE') return (script.clear(), { status: 200, body: { ok: true } });
  if (rest === '/script' && method === 'POST') {
    const parsed = z.union([scriptedReplySchema, z.array(scriptedReplySchema)]).safeParse(body);
    if (!parsed.success)
      return { status: 400, body: { error: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ') } };
    const items = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    script.push(...items);
    return { status: 201, body: { ok: true, queued: script.list().length } };
  }
  if (rest === '/requests' && method === 'GET') return { status: 200, body: log.list() };
  if (rest === '/requests' && method === 'DELETE') return (log.clear(), { status: 200, body: { ok: true } });
  return undefined;
}

/** Arguments of a scripted tool call as JSON text. */
export function argumentsText(value: string | Record<string, unknown>): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
