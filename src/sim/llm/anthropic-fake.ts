/**
 * A fake Anthropic Messages API (`POST /v1/messages`) faithful to the wire that
 * `@ai-sdk/anthropic` and `@anthropic-ai/sdk` read:
 * - non-stream `message` objects with `text` / `tool_use` content blocks, `stop_reason`
 *   (`end_turn`, `tool_use`, `max_tokens`) and usage incl. `cache_creation_input_tokens` /
 *   `cache_read_input_tokens`;
 * - SSE streams: `message_start`, `content_block_start` (text / tool_use), `ping`,
 *   `content_block_delta` (`text_delta`, `input_json_delta`), `content_block_stop`,
 *   `message_delta` (stop_reason + usage), `message_stop`;
 * - errors `{"type":"error","error":{"type","message"}}`: 401 `authentication_error`, 400
 *   `invalid_request_error`, scripted 429 `rate_limit_error` with `retry-after`, 529
 *   `overloaded_error`, any other status;
 * - prompt caching: blocks marked `cache_control` make the prefix up to the last marker (tools,
 *   then system, then messages) cacheable when it has at least `minCacheTokens` tokens; the first
 *   call reports it as cache creation, identical prefixes within 5 minutes as cache reads.
 * Replies come from the script queue (script.ts) or the simulated model (simulated-model.ts).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countTokens, takeTokens, tokenPieces } from './fake-tokenizer.ts';
import { RequestLog, ScriptQueue, argumentsText, scriptAdminRoute, type AdminReply } from './script.ts';
import { simulatedReply, type NeutralMessage, type NeutralTool } from './simulated-model.ts';

export interface AnthropicFakeOptions {
  host?: string;
  port?: number;
  /** Required `x-api-key` (default: any non-empty key is accepted). */
  apiKey?: string;
  /** Minimum cacheable prefix (Sonnet: 1024; Haiku/Opus: 4096). Default 1024. */
  minCacheTokens?: number;
  /** Epoch-ms clock (cache TTL, request log). Default Date.now. */
  clock?: () => number;
}

export interface AnthropicFake {
  /** http://127.0.0.1:PORT — `createAnthropic({ baseURL: `${url}/v1` })`. */
  readonly url: string;
  readonly script: ScriptQueue;
  readonly requests: RequestLog;
  /** Admin routes under `/llm/cloud` (see docs/simulator.md). */
  admin(method: string, rest: string, body: unknown): AdminReply | undefined;
  close(): Promise<void>;
}

interface Block {
  type?: string;
  text?: string;
  content?: unknown;
  input?: unknown;
  name?: string;
  cache_control?: unknown;
}

const CACHE_TTL_MS = 5 * 60_000;

function errorJson(type: string, message: string): unknown {
  return { type: 'error', error: { type, message } };
}

function blocks(content: unknown): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content.filter((block) => block && typeof block === 'object') as Block[]) : [];
}

function blockText(block: Block): string {
  if (block.type === 'text') return block.text ?? '';
  if (block.type === 'tool_result') return typeof block.content === 'string' ? block.content : blocks(block.content).map(blockText).join('');
  if (block.type === 'tool_use') return `${block.name ?? ''} ${JSON.stringify(block.input ?? {})}`;
  return '';
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startAnthropicFake(options: AnthropicFakeOptions = {}): Promise<AnthropicFake> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? Date.now;
  const minCache = options.minCacheTokens ?? 1024;
  const script = new ScriptQueue();
  const requests = new RequestLog();
  const cache = new Map<string, number>();
  let seq = 0;

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    if (response.headersSent || response.destroyed) return;
    const text = JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json', 'request-id': `req_sim${++seq}`, ...headers });
    response.end(text);
  };

  /** Tokens of the request's prompt, and of its prefix up to the last `cache_control` marker. */
  function promptTokens(body: Record<string, unknown>): { total: number; cacheable: number; prefixKey: string } {
    const parts: { text: string; marked: boolean }[] = [];
    for (const tool of Array.isArray(body.tools) ? (body.tools as Record<string, unknown>[]) : []) {
      parts.push({
        text: JSON.stringify({ name: tool.name, description: tool.description, input_schema: tool.input_schema }),
        marked: tool.cache_control !== undefined,
      });
    }
    for (const block of blocks(body.system)) parts.push({ text: blockText(block), marked: block.cache_control !== undefined });
    for (const message of Array.isArray(body.messages) ? (body.messages as { role?: string; content?: unknown }[]) : []) {
      for (const block of blocks(message.content))
        parts.push({ text: `${message.role ?? ''}: ${blockText(block)}`, marked: block.cache_control !== undefined });
    }
    let total = 0;
    let cacheable = 0;
    const hash = createHash('sha256');
    let prefixKey = '';
    for (const part of parts) {
      total += countTokens(part.text) + 3;
      hash.update(part.text);
      if (part.marked) {
        cacheable = total;
        prefixKey = hash.copy().digest('hex');
      }
    }
    return { total, cacheable, prefixKey };
  }

  async function messagesRoute(request: IncomingMessage, response: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const model = typeof body.model === 'string' ? body.model : '';
    const messages = body.messages;
    if (!model) return send(response, 400, errorJson('invalid_request_error', 'model: Field required'));
    if (typeof body.max_tokens !== 'number' || body.max_tokens < 1)
      return send(response, 400, errorJson('invalid_request_error', 'max_tokens: Field required'));
    if (!Array.isArray(messages) || messages.length === 0)
      return send(response, 400, errorJson('invalid_request_error', 'messages: at least one message is required'));
    const typedMessages = messages as { role?: string; content?: unknown }[];
    const lastUserText = [...typedMessages]
      .reverse()
      .find((message) => message.role === 'user' && blocks(message.content).some((block) => block.type === 'text'));
    const scripted = script.take(
      lastUserText
        ? blocks(lastUserText.content)
            .filter((block) => block.type === 'text')
            .map(blockText)
            .join('')
        : '',
    );
    if (scripted?.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    if (response.destroyed) return;
    if (scripted?.error) {
      const { status, type, message, retryAfterSeconds } = scripted.error;
      const defaultType =
        status === 429
          ? 'rate_limit_error'
          : status === 529
            ? 'overloaded_error'
            : status === 401
              ? 'authentication_error'
              : status >= 500
                ? 'api_error'
                : 'invalid_request_error';
      const defaultMessage =
        status === 429 ? 'Number of request tokens has exceeded your per-minute rate limit' : status === 529 ? 'Overloaded' : 'scripted error';
      return send(
        response,
        status,
        errorJson(type ?? defaultType, message ?? defaultMessage),
        retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {},
      );
    }

    const tools: NeutralTool[] = (Array.isArray(body.tools) ? (body.tools as Record<string, unknown>[]) : []).flatMap((tool) =>
      typeof tool.name === 'string'
        ? [
            {
              name: tool.name,
              description: typeof tool.description === 'string' ? tool.description : '',
              parameters: (tool.input_schema ?? {}) as Record<string, unknown>,
            },
          ]
        : [],
    );
    const neutral: NeutralMessage[] = typedMessages.flatMap((message) =>
      blocks(message.content).map((block): NeutralMessage => ({
        role: block.type === 'tool_result' ? 'tool' : message.role === 'assistant' ? 'assistant' : 'user',
        text: blockText(block),
      })),
    );
    const toolChoice = body.tool_choice as { type?: string; disable_parallel_tool_use?: boolean } | undefined;
    const reply =
      scripted && (scripted.text !== undefined || scripted.toolCalls !== undefined)
        ? { text: scripted.text ?? '', toolCalls: (scripted.toolCalls ?? []).map((call) => ({ name: call.name, arguments: argumentsText(call.arguments) })) }
        : simulatedReply({ messages: neutral, tools, toolsAllowed: toolChoice?.type !== 'none' });
    const calls = toolChoice?.disable_parallel_tool_use ? reply.toolCalls.slice(0, 1) : reply.toolCalls;

    // Output, cut at max_tokens (or the scripted truncation): text first, then tool_use blocks.
    let budget = Math.min(body.max_tokens, scripted?.truncateAfterTokens ?? Infinity);
    let truncated = false;
    const content: ({ type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown; json: string })[] = [];
    if (reply.text) {
      const n = countTokens(reply.text);
      if (n > budget) {
        content.push({ type: 'text', text: takeTokens(reply.text, budget) });
        truncated = true;
        budget = 0;
      } else {
        content.push({ type: 'text', text: reply.text });
        budget -= n;
      }
    }
    for (const call of calls) {
      if (truncated) break;
      const n = countTokens(call.arguments) + 4;
      if (n > budget) {
        truncated = true;
        break;
      }
      let input: unknown;
      try {
        input = JSON.parse(call.arguments);
      } catch {
        input = {};
      }
      content.push({ type: 'tool_use', id: `toolu_sim${++seq}`, name: call.name, input, json: call.arguments });
      budget -= n;
    }
    const outputTokens = Math.min(body.max_tokens, scripted?.truncateAfterTokens ?? Infinity) - budget;
    const stopReason = truncated ? 'max_tokens' : content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn';

    const prompt = promptTokens(body);
    let cacheRead = 0;
    let cacheCreation = 0;
    if (prompt.cacheable >= minCache) {
      const now = clock();
      const expires = cache.get(prompt.prefixKey);
      if (expires !== undefined && expires > now) cacheRead = prompt.cacheable;
      else cacheCreation = prompt.cacheable;
      cache.set(prompt.prefixKey, now + CACHE_TTL_MS);
    }
    cacheRead = scripted?.cacheReadTokens ?? cacheRead;
    cacheCreation = scripted?.cacheCreationTokens ?? cacheCreation;
    const usage = {
      input_tokens: Math.max(0, prompt.total - cacheRead - cacheCreation),
      cache_creation_input_tokens: cacheCreation,
      cache_read_input_tokens: cacheRead,
      output_tokens: outputTokens,
    };
    const id = `msg_sim${++seq}`;
    const wireContent = content.map((block) => (block.type === 'text' ? block : { type: 'tool_use', id: block.id, name: block.name, input: block.input }));

    if (body.stream !== true) {
      return send(response, 200, { id, type: 'message', role: 'assistant', model, content: wireContent, stop_reason: stopReason, stop_sequence: null, usage });
    }
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'request-id': `req_sim${++seq}` });
    const event = (type: string, data: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    let out = event('message_start', {
      message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
    });
    content.forEach((block, index) => {
      if (block.type === 'text') {
        out += event('content_block_start', { index, content_block: { type: 'text', text: '' } });
        if (index === 0) out += event('ping', {});
        for (const piece of tokenPieces(block.text)) out += event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
      } else {
        out += event('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
        const json = JSON.stringify(block.input);
        for (let at = 0; at < json.length; at += 12)
          out += event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: json.slice(at, at + 12) } });
      }
      out += event('content_block_stop', { index });
    });
    out += event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } });
    out += event('message_stop', {});
    response.end(out);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const text = await readBody(request);
    let body: unknown;
    let badJson = false;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
      badJson = true;
    }
    requests.record({ at: clock(), method, path: request.url ?? '/', headers: request.headers, body });
    const key = request.headers['x-api-key'];
    const bearer = request.headers.authorization?.replace(/^Bearer\s+/i, '');
    const given = typeof key === 'string' ? key : bearer;
    if (!given || (options.apiKey !== undefined && given !== options.apiKey)) {
      return send(response, 401, errorJson('authentication_error', 'invalid x-api-key'));
    }
    if (method === 'POST' && path === '/v1/messages') {
      if (badJson || !body || typeof body !== 'object') return send(response, 400, errorJson('invalid_request_error', 'request body is not valid JSON'));
      return messagesRoute(request, response, body as Record<string, unknown>);
    }
    return send(response, 404, errorJson('not_found_error', `Not found: ${method} ${path}`));
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, errorJson('api_error', (error as Error).message)));
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
    admin: (method, rest, body) => scriptAdminRoute(script, requests, method, rest, body),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
