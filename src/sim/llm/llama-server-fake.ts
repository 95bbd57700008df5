/**
 * A fake llama-server (llama.cpp `tools/server`) faithful to the wire of the real binary (build
 * b11669, Debian sid), pinned by test/llm-contract which runs the same assertions against both:
 * - `POST /v1/chat/completions` (and `/chat/completions`): non-stream and SSE
 *   `chat.completion.chunk` deltas, tool calls in `delta.tool_calls`, a final chunk with
 *   `finish_reason`, a usage chunk (`prompt_tokens_details.cached_tokens`), `data: [DONE]`;
 * - `GET /props`, `GET /slots` (`?fail_on_no_slot=1` -> 503), `GET /health` (503 while loading),
 *   `POST /tokenize`, `POST /apply-template`, `GET /metrics`, `GET /v1/models`;
 * - errors: 400 `exceed_context_size_error` (plain JSON even for stream requests), 500 "Context
 *   size has been exceeded." when concurrent requests overrun a shared (kv-unified) pool, 503
 *   "Loading model", 401 with an API key (everything but /health);
 * - N slots with FIFO queueing and no priority (a request waits, never a 503), per-slot context
 *   (`ctx / slots`) or one shared pool (`kvUnified`, every slot reports the whole context),
 *   `id_slot` pinning, prompt-prefix cache per slot reported as cached tokens, `finish_reason
 *   "length"` when prompt + output reach the slot or `max_tokens`.
 * Replies come from the script queue (script.ts) or the simulated model (simulated-model.ts).
 * Closing a request's connection frees its slot (or removes it from the queue), as on the real server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChatMessageWire, contentText, renderChatML } from './chatml.ts';
import { countTokens, takeTokens, tokenId, tokenPieces } from './fake-tokenizer.ts';
import { RequestLog, ScriptQueue, argumentsText, scriptAdminRoute, type AdminReply, type ScriptedReply } from './script.ts';
import { simulatedReply, type NeutralChat, type NeutralMessage, type NeutralTool } from './simulated-model.ts';

export interface LlamaServerFakeOptions {
  host?: string;
  port?: number;
  /** Number of slots (`-np`), default 4. */
  slots?: number;
  /** Total context (`-c`), default 4096. */
  ctx?: number;
  /** Shared KV pool (`--kv-unified`): every slot reports the whole context. Default false (ctx / slots per slot). */
  kvUnified?: boolean;
  /** `--api-key`: Bearer token required on everything but /health. */
  apiKey?: string;
  /** Model name reported (`--alias`), default `simulated-model`. */
  model?: string;
  /** Start in the "Loading model" state (503) until `setLoading(false)`. */
  loading?: boolean;
  /** Simulated generation time per output token (default 0). */
  msPerToken?: number;
  /** `--metrics` (default true); false -> /metrics answers 501 as the real server does without it. */
  metrics?: boolean;
  /** Epoch-ms clock for `created` fields and the request log (default Date.now). */
  clock?: () => number;
}

export interface LlamaServerFake {
  /** http://127.0.0.1:PORT (OpenAI-compatible clients use `${url}/v1`). */
  readonly url: string;
  readonly script: ScriptQueue;
  readonly requests: RequestLog;
  setLoading(loading: boolean): void;
  /** Snapshot: slots busy, queue length. */
  state(): { loading: boolean; busySlots: number[]; queued: number; slots: number; slotContext: number; kvUnified: boolean };
  /** Admin routes under `/llm/local` (see docs/simulator.md). */
  admin(method: string, rest: string, body: unknown): AdminReply | undefined;
  close(): Promise<void>;
}

interface Job {
  readonly taskId: number;
  readonly pinnedSlot: number | undefined;
  readonly promptPieces: string[];
  readonly plannedOutput: number;
  readonly cachePrompt: boolean;
  readonly maxTokens: number;
  readonly stream: boolean;
  readonly start: (slot: Slot, cachedTokens: number) => void;
  readonly fail: (status: number, body: unknown) => void;
  slot?: Slot;
  timer?: NodeJS.Timeout;
  done: boolean;
}

interface Slot {
  readonly id: number;
  job: Job | undefined;
  lastPrompt: string[];
  /** The last task this slot ran (the real /slots keeps showing it while idle). */
  last?: { taskId: number; nPrompt: number; nCached: number; maxTokens: number; stream: boolean } | undefined;
}

const BUILD = 'b11669-simulated';

const errorBody = (code: number, type: string, message: string, extra: Record<string, unknown> = {}): unknown => ({ error: { code, message, type, ...extra } });

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function neutralChat(messages: readonly ChatMessageWire[], tools: readonly unknown[], toolChoice: unknown): NeutralChat {
  const neutral: NeutralMessage[] = messages.map((message) => ({
    role: message.role === 'system' || message.role === 'assistant' || message.role === 'tool' ? message.role : 'user',
    text: contentText(message.content),
  }));
  const neutralTools: NeutralTool[] = tools.flatMap((tool) => {
    const fn = (tool as { function?: { name?: unknown; description?: unknown; parameters?: unknown } }).function;
    if (!fn || typeof fn.name !== 'string') return [];
    return [
      { name: fn.name, description: typeof fn.description === 'string' ? fn.description : '', parameters: (fn.parameters ?? {}) as Record<string, unknown> },
    ];
  });
  return { messages: neutral, tools: neutralTools, toolsAllowed: toolChoice !== 'none' };
}

/**
 * What the model emits within `limit` output tokens: text first, then each call as
 * `<tool_call>{"name": ..., "arguments": ...}</tool_call>`. A call cut inside its arguments
 * still comes back as a call with the arguments cut (what the real server's parser returns).
 */
export function generate(
  text: string,
  calls: readonly { name: string; arguments: string }[],
  limit: number,
): { content: string; toolCalls: { name: string; arguments: string }[]; outputTokens: number; truncated: boolean } {
  let used = 0;
  const textTokens = countTokens(text);
  const truncatedText = textTokens > limit;
  const content = truncatedText ? takeTokens(text, limit) : text;
  used += Math.min(textTokens, limit);
  const toolCalls: { name: string; arguments: string }[] = [];
  if (truncatedText) return { content, toolCalls, outputTokens: used, truncated: true };
  for (const call of calls) {
    const head = countTokens(`<tool_call>\n{"name": "${call.name}", "arguments": `);
    const args = countTokens(call.arguments);
    const tail = countTokens('}\n</tool_call>');
    const left = limit - used;
    if (left < head + args + tail) {
      if (left >= head) toolCalls.push({ name: call.name, arguments: takeTokens(call.arguments, Math.min(args, left - head)) });
      return { content, toolCalls, outputTokens: limit, truncated: true };
    }
    used += head + args + tail;
    toolCalls.push(call);
  }
  return { content, toolCalls, outputTokens: used, truncated: false };
}

export async function startLlamaServerFake(options: LlamaServerFakeOptions = {}): Promise<LlamaServerFake> {
  const host = options.host ?? '127.0.0.1';
  const slotCount = Math.max(1, options.slots ?? 4);
  const totalCtx = options.ctx ?? 4096;
  const kvUnified = options.kvUnified ?? false;
  const slotCtx = kvUnified ? totalCtx : Math.floor(totalCtx / slotCount);
  const model = options.model ?? 'simulated-model';
  const msPerToken = options.msPerToken ?? 0;
  const clock = options.clock ?? Date.now;
  const script = new ScriptQueue();
  const requests = new RequestLog();
  let loading = options.loading ?? false;
  let taskSeq = 0;
  let completionSeq = 0;
  let callSeq = 0;
  const counters = { promptTokens: 0, cachedTokens: 0, predictedTokens: 0, decodes: 0, requests: 0, maxTokens: 0 };
  const slots: Slot[] = Array.from({ length: slotCount }, (_, id) => ({ id, job: undefined, lastPrompt: [] }));
  const queue: Job[] = [];

  const release = (job: Job): void => {
    job.done = true;
    if (job.timer) clearTimeout(job.timer);
    const queued = queue.indexOf(job);
    if (queued >= 0) queue.splice(queued, 1);
    if (job.slot && job.slot.job === job) job.slot.job = undefined;
    dispatch();
  };

  /** FIFO: each waiting job in arrival order takes a free slot (its pinned one, or the best prefix match). */
  function dispatch(): void {
    for (const job of [...queue]) {
      let slot: Slot | undefined;
      if (job.pinnedSlot !== undefined) {
        slot = slots[job.pinnedSlot]?.job === undefined ? slots[job.pinnedSlot] : undefined;
      } else {
        const free = slots.filter((candidate) => candidate.job === undefined);
        slot = free.sort((a, b) => commonPrefix(b.lastPrompt, job.promptPieces) - commonPrefix(a.lastPrompt, job.promptPieces) || a.id - b.id)[0];
      }
      if (!slot) continue;
      queue.splice(queue.indexOf(job), 1);
      if (kvUnified) {
        const inUse = slots.reduce((sum, s) => sum + (s.job ? s.job.promptPieces.length + s.job.plannedOutput : 0), 0);
        if (inUse + job.promptPieces.length + job.plannedOutput > totalCtx) {
          // The shared pool is overrun: every sequence in it fails, as on the real server.
          const victims = slots.flatMap((s) => (s.job ? [s.job] : []));
          for (const victim of [...victims, job]) {
            victim.fail(500, errorBody(500, 'server_error', 'Context size has been exceeded.'));
            release(victim);
          }
          for (const s of slots) s.lastPrompt = [];
          return dispatch();
        }
      }
      slot.job = job;
      job.slot = slot;
      const cached = job.cachePrompt ? Math.min(commonPrefix(slot.lastPrompt, job.promptPieces), Math.max(0, job.promptPieces.length - 1)) : 0;
      slot.lastPrompt = job.promptPieces;
      slot.last = { taskId: job.taskId, nPrompt: job.promptPieces.length, nCached: cached, maxTokens: job.maxTokens, stream: job.stream };
      job.start(slot, cached);
    }
  }

  function authorised(request: IncomingMessage): boolean {
    if (options.apiKey === undefined) return true;
    const header = request.headers.authorization ?? '';
    const key = request.headers['x-api-key'];
    return header === `Bearer ${options.apiKey}` || key === options.apiKey;
  }

  function props(): unknown {
    return {
      default_generation_settings: {
        id: 0,
        id_task: -1,
        n_ctx: slotCtx,
        speculative: false,
        is_processing: false,
        params: { n_predict: -1, temperature: 0.8, top_k: 40, top_p: 0.95, stream: true, cache_prompt: true },
      },
      total_slots: slotCount,
      model_alias: model,
      model_path: `simulated/${model}.gguf`,
      modalities: { vision: false, audio: false },
      chat_template: '(Qwen2.5 ChatML with tools, rendered by the simulator)',
      chat_template_caps: {
        supports_object_arguments: true,
        supports_parallel_tool_calls: true,
        supports_preserve_reasoning: false,
        supports_string_content: true,
        supports_system_role: true,
        supports_tool_calls: true,
        supports_tools: true,
        supports_typed_content: false,
      },
      bos_token: '',
      eos_token: '<|im_end|>',
      build_info: BUILD,
      is_sleeping: false,
    };
  }

  function slotsView(): unknown[] {
    return slots.map((slot) => {
      const base = { id: slot.id, n_ctx: slotCtx, speculative: false, is_processing: slot.job !== undefined };
      const last = slot.last;
      if (!last) return base;
      return {
        ...base,
        id_task: last.taskId,
        n_prompt_tokens: last.nPrompt,
        n_prompt_tokens_processed: slot.job ? last.nPrompt - last.nCached : 0,
        n_prompt_tokens_cache: last.nCached,
        params: { max_tokens: last.maxTokens, n_predict: last.maxTokens, stream: last.stream, chat_format: 'peg-native' },
        next_token: [{ has_next_token: slot.job !== undefined, has_new_line: false, n_remain: -1, n_decoded: 0 }],
      };
    });
  }

  function metricsText(): string {
    const busy = slots.filter((slot) => slot.job).length;
    const lines: [string, string, string, number][] = [
      ['prompt_tokens_total', 'counter', 'Number of prompt tokens processed, excluding cached tokens', counters.promptTokens],
      ['prompt_tokens_cached_total', 'counter', 'Number of prompt tokens reused from the cache', counters.cachedTokens],
      ['tokens_predicted_total', 'counter', 'Number of generation tokens processed', counters.predictedTokens],
      ['n_decode_total', 'counter', 'Total number of llama_decode() calls, excluding speculative decoding and multimodal decoding', counters.decodes],
      ['n_tokens_max', 'counter', 'Largest observed sequence length (prompt + generation)', counters.maxTokens],
      ['requests_processing', 'gauge', 'Number of requests processing', busy],
      ['requests_deferred', 'gauge', 'Number of requests deferred', queue.length],
    ];
    return lines.map(([name, type, help, value]) => `# HELP llamacpp:${name} ${help}\n# TYPE llamacpp:${name} ${type}\nllamacpp:${name} ${value}\n`).join('');
  }

  function chatCompletion(body: Record<string, unknown>, request: IncomingMessage, response: ServerResponse): void {
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      return sendJson(response, 400, errorBody(400, 'invalid_request_error', "'messages' is required and must be a non-empty array"));
    }
    const tools = Array.isArray(body.tools) ? body.tools : [];
    const chatMessages = messages as ChatMessageWire[];
    const prompt = renderChatML(chatMessages, tools);
    const promptPieces = tokenPieces(prompt);
    const nPrompt = promptPieces.length;
    const stream = body.stream === true;
    const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
    const includeUsage = streamOptions?.include_usage === true;
    if (nPrompt >= slotCtx) {
      return sendJson(
        response,
        400,
        errorBody(400, 'exceed_context_size_error', `request (${nPrompt} tokens) exceeds the available context size (${slotCtx} tokens), try increasing it`, {
          n_prompt_tokens: nPrompt,
          n_ctx: slotCtx,
        }),
      );
    }
    const lastUser = [...chatMessages].reverse().find((message) => message.role === 'user');
    const scripted: ScriptedReply | undefined = script.take(contentText(lastUser?.content));
    const reply =
      scripted && (scripted.text !== undefined || scripted.toolCalls !== undefined)
        ? { text: scripted.text ?? '', toolCalls: (scripted.toolCalls ?? []).map((call) => ({ name: call.name, arguments: argumentsText(call.arguments) })) }
        : simulatedReply(neutralChat(chatMessages, tools, body.tool_choice));
    // parallel_tool_calls:false is NOT enforced: measured on b11669, its tool grammar allows any
    // number of calls either way (the flag only reaches the chat template), so a scripted reply
    // with several calls returns them all. The request log shows what the client sent.
    const calls = reply.toolCalls;
    const rawMax = body.max_tokens ?? body.max_completion_tokens ?? body.n_predict;
    const maxTokens = typeof rawMax === 'number' && rawMax >= 0 ? rawMax : Infinity;
    const limit = Math.min(maxTokens, scripted?.truncateAfterTokens ?? Infinity, slotCtx - nPrompt);
    // ignore_eos: the model never stops by itself, so it generates up to the limit.
    const padded = body.ignore_eos === true && Number.isFinite(limit) ? `${reply.text}${' and'.repeat(Math.max(0, limit))}` : reply.text;
    const generated = generate(padded, body.ignore_eos === true ? [] : calls, limit);
    const truncated = generated.truncated;
    const plannedOutput = generated.outputTokens;
    const rawSlot = body.id_slot;
    // Like the real server, an id_slot outside 0..slots-1 (or -1) means "any slot".
    const pinnedSlot = typeof rawSlot === 'number' && Number.isInteger(rawSlot) && rawSlot >= 0 && rawSlot < slotCount ? rawSlot : undefined;
    const id = `chatcmpl-sim${++completionSeq}`;
    const created = Math.floor(clock() / 1000);
    const base = { id, created, model, system_fingerprint: BUILD };
    let headersOpen = false;

    const job: Job = {
      taskId: ++taskSeq,
      pinnedSlot,
      promptPieces,
      plannedOutput,
      maxTokens: Number.isFinite(maxTokens) ? maxTokens : -1,
      stream,
      cachePrompt: body.cache_prompt !== false,
      done: false,
      fail: (status, errBody) => {
        // A stream that already started gets the error in-band (HTTP 200, then
        // `data: {"error":...}` and no [DONE]), as measured on the real server.
        if (headersOpen) {
          if (!response.destroyed) response.end(`data: ${JSON.stringify(errBody)}\n\n`);
        } else sendJson(response, status, errBody);
      },
      start: (slot, cachedTokens) => {
        counters.requests++;
        if (stream && !scripted?.error) {
          headersOpen = true;
          response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
          response.write(
            `data: ${JSON.stringify({ choices: [{ finish_reason: null, index: 0, delta: { role: 'assistant', content: null } }], ...base, object: 'chat.completion.chunk' })}\n\n`,
          );
        }
        const wait = (scripted?.delayMs ?? 0) + msPerToken * plannedOutput;
        job.timer = setTimeout(() => finish(slot, cachedTokens), wait);
      },
    };

    const finish = (_slot: Slot, cachedTokens: number): void => {
      if (job.done) return;
      if (scripted?.error) {
        const { status, type, message, retryAfterSeconds } = scripted.error;
        sendJson(
          response,
          status,
          errorBody(status, type ?? (status >= 500 ? 'server_error' : 'invalid_request_error'), message ?? 'scripted error'),
          retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {},
        );
        return release(job);
      }
      counters.promptTokens += nPrompt - cachedTokens;
      counters.cachedTokens += cachedTokens;
      counters.predictedTokens += plannedOutput;
      counters.decodes += 1 + plannedOutput;
      counters.maxTokens = Math.max(counters.maxTokens, nPrompt + plannedOutput);
      const usage = {
        completion_tokens: plannedOutput,
        prompt_tokens: nPrompt,
        total_tokens: nPrompt + plannedOutput,
        prompt_tokens_details: { cached_tokens: cachedTokens },
      };
      const predictedMs = msPerToken * plannedOutput;
      const timings = {
        cache_n: cachedTokens,
        prompt_n: nPrompt - cachedTokens,
        prompt_ms: 0,
        prompt_per_token_ms: 0,
        prompt_per_second: 0,
        predicted_n: plannedOutput,
        predicted_ms: predictedMs,
        predicted_per_token_ms: msPerToken,
        predicted_per_second: msPerToken > 0 ? 1000 / msPerToken : 0,
      };
      // A call cut by the limit still comes back as a tool call, with its arguments cut too.
      const toolCalls = generated.toolCalls.map((call) => ({
        type: 'function' as const,
        function: { name: call.name, arguments: call.arguments },
        id: `call_sim${++callSeq}`,
      }));
      const finishReason = truncated ? 'length' : toolCalls.length > 0 ? 'tool_calls' : 'stop';
      if (!stream) {
        const message: Record<string, unknown> = { role: 'assistant', content: generated.content };
        if (toolCalls.length > 0) message.tool_calls = toolCalls;
        sendJson(response, 200, { choices: [{ finish_reason: finishReason, index: 0, message }], ...base, object: 'chat.completion', usage, timings });
        return release(job);
      }
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
        `data: ${JSON.stringify({ choices, ...base, object: 'chat.completion.chunk', ...extra })}\n\n`;
      let out = '';
      for (const piece of tokenPieces(generated.content)) out += chunk([{ finish_reason: null, index: 0, delta: { content: piece } }]);
      toolCalls.forEach((call, index) => {
        const pieces = tokenPieces(call.function.arguments);
        out += chunk([
          {
            finish_reason: null,
            index: 0,
            delta: { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: pieces[0] ?? '' } }] },
          },
        ]);
        for (const piece of pieces.slice(1))
          out += chunk([{ finish_reason: null, index: 0, delta: { tool_calls: [{ index, function: { arguments: piece } }] } }]);
      });
      // Without stream_options.include_usage the last chunk carries the timings; with it, a
      // separate chunk with no choices carries usage and timings (as the real server does).
      out += includeUsage
        ? chunk([{ finish_reason: finishReason, index: 0, delta: {} }])
        : chunk([{ finish_reason: finishReason, index: 0, delta: {} }], { timings });
      if (includeUsage) out += chunk([], { usage, timings });
      out += 'data: [DONE]\n\n';
      if (!response.destroyed) response.end(out);
      release(job);
    };

    response.on('close', () => {
      if (!job.done) release(job);
    });
    queue.push(job);
    dispatch();
    void request;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const text = await readBody(request);
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
      if (method === 'POST') {
        requests.record({ at: clock(), method, path: request.url ?? '/', headers: request.headers, body: text });
        return sendJson(response, 400, errorBody(400, 'invalid_request_error', 'request body is not valid JSON'));
      }
    }
    requests.record({ at: clock(), method, path: request.url ?? '/', headers: request.headers, body });
    const path = url.pathname;
    if (method === 'GET' && (path === '/health' || path === '/v1/health')) {
      return loading ? sendJson(response, 503, errorBody(503, 'unavailable_error', 'Loading model')) : sendJson(response, 200, { status: 'ok' });
    }
    if (loading) return sendJson(response, 503, errorBody(503, 'unavailable_error', 'Loading model'));
    // Public routes of the real server: /health, /v1/health, /models, /v1/models.
    const isPublic = method === 'GET' && (path === '/v1/health' || path === '/models' || path === '/v1/models');
    if (!isPublic && !authorised(request)) return sendJson(response, 401, errorBody(401, 'authentication_error', 'Invalid API Key'));
    const json = (body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && path === '/props') return sendJson(response, 200, props());
    if (method === 'GET' && path === '/slots') {
      if (url.searchParams.get('fail_on_no_slot') && slots.every((slot) => slot.job)) {
        return sendJson(response, 503, errorBody(503, 'unavailable_error', 'no slot available'));
      }
      return sendJson(response, 200, slotsView());
    }
    if (method === 'GET' && path === '/metrics') {
      if (options.metrics === false)
        return sendJson(response, 501, errorBody(501, 'not_supported_error', 'This server does not support metrics endpoint. Start it with `--metrics`'));
      response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      return void response.end(metricsText());
    }
    if (method === 'GET' && (path === '/v1/models' || path === '/models')) {
      return sendJson(response, 200, {
        object: 'list',
        data: [{ id: model, object: 'model', created: Math.floor(clock() / 1000), owned_by: 'llamacpp', meta: { n_ctx_train: totalCtx } }],
      });
    }
    if (method === 'POST' && path === '/tokenize') {
      const content = typeof json.content === 'string' ? json.content : '';
      const pieces = tokenPieces(content);
      return sendJson(response, 200, { tokens: json.with_pieces === true ? pieces.map((piece) => ({ id: tokenId(piece), piece })) : pieces.map(tokenId) });
    }
    if (method === 'POST' && path === '/apply-template') {
      if (!Array.isArray(json.messages)) return sendJson(response, 400, errorBody(400, 'invalid_request_error', "'messages' is required"));
      return sendJson(response, 200, { prompt: renderChatML(json.messages as ChatMessageWire[], Array.isArray(json.tools) ? json.tools : undefined) });
    }
    if (method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions')) return chatCompletion(json, request, response);
    return sendJson(response, 404, errorBody(404, 'not_found_error', 'File Not Found'));
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => sendJson(response, 500, errorBody(500, 'server_error', (error as Error).message)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${(server.address() as AddressInfo).port}`,
    script,
    requests,
    setLoading: (value) => {
      loading = value;
    },
    state: () => ({
      loading,
      busySlots: slots.filter((slot) => slot.job).map((slot) => slot.id),
      queued: queue.length,
      slots: slotCount,
      slotContext: slotCtx,
      kvUnified,
    }),
    admin: (method, rest, body) => {
      if (rest === '/loading' && method === 'POST') {
        const value = (body as { loading?: unknown } | undefined)?.loading;
        if (typeof value !== 'boolean') return { status: 400, body: { error: 'loading: expected a boolean' } };
        loading = value;
        return { status: 200, body: { ok: true, loading } };
      }
      if (rest === '/state' && method === 'GET')
        return {
          status: 200,
          body: {
            loading,
            busySlots: slots.filter((slot) => slot.job).map((slot) => slot.id),
            queued: queue.length,
            slots: slotCount,
            slotContext: slotCtx,
            kvUnified,
          },
        };
      return scriptAdminRoute(script, requests, method, rest, body);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const job of [...queue, ...slots.flatMap((slot) => (slot.job ? [slot.job] : []))]) release(job);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
