/**
 * Maps what the AI SDK throws (APICallError with status, headers and body; fetch failures; aborts)
 * to the LLM_* codes. Classification is by HTTP status and the server's structured error `type`;
 * the one exception is llama-server's shared-pool overrun, a 500 whose only distinguishing mark is
 * its message "Context size has been exceeded." (see docs/decisions, llama.cpp build b11669).
 */
import { APICallError } from 'ai';
import { jarvisError, type JarvisError } from '../../core/errors.ts';
import type { ModelProvider } from '../../core/llm/model-port.ts';

const SHARED_POOL_OVERRUN = 'Context size has been exceeded';

function errorBody(raw: string | undefined): { type?: string; message?: string; nPromptTokens?: number; nCtx?: number } {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as { error?: unknown; type?: unknown };
    const inner = (typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : parsed) as Record<string, unknown>;
    return {
      ...(typeof inner['type'] === 'string' ? { type: inner['type'] } : {}),
      ...(typeof inner['message'] === 'string' ? { message: inner['message'] } : {}),
      ...(typeof inner['n_prompt_tokens'] === 'number' ? { nPromptTokens: inner['n_prompt_tokens'] } : {}),
      ...(typeof inner['n_ctx'] === 'number' ? { nCtx: inner['n_ctx'] } : {}),
    };
  } catch {
    return {};
  }
}

/** `retry-after` in seconds or as an HTTP date, in ms from `now`; undefined when absent or unparsable. */
export function parseRetryAfter(headers: Record<string, string> | undefined, now: number): number | undefined {
  const value = headers?.['retry-after'] ?? headers?.['Retry-After'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 3600) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, Math.min(date - now, 3_600_000)) : undefined;
}

const oneLine = (text: string): string => text.split('\n')[0]!.slice(0, 300);

/** The `{ message, type?, code? }` object of an error chunk (not an Error instance). */
function isStreamError(value: unknown): value is { message: string; type?: string | null; code?: string | number | null } {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && typeof (value as { message?: unknown }).message === 'string';
}

/** One thrown value from a provider call -> one JarvisError with details.status/retryAfterMs. */
export function mapLlmError(thrown: unknown, provider: ModelProvider, now: number): JarvisError {
  const who = provider === 'local' ? 'the local model server' : 'Claude';
  const keyHint = provider === 'local' ? "set JARVIS_LLM_LOCAL_API_KEY (or _FILE) to the server's --api-key" : 'set JARVIS_ANTHROPIC_API_KEY (or _FILE)';
  if (thrown instanceof Error && (thrown.name === 'AbortError' || thrown.name === 'TimeoutError')) {
    return jarvisError('LLM_TIMEOUT', `${who} call was aborted or timed out`, { details: { provider, aborted: true }, cause: thrown });
  }
  if (!APICallError.isInstance(thrown) && isStreamError(thrown)) {
    // An error chunk inside a started stream (see llama-stream-errors.ts).
    const details = { provider, ...(thrown.code !== undefined && thrown.code !== null ? { status: thrown.code } : {}), midStream: true };
    if (thrown.message.includes(SHARED_POOL_OVERRUN)) {
      return jarvisError('LLM_CAPACITY', `${who} ran out of shared context mid-answer ("${SHARED_POOL_OVERRUN}.")`, {
        details: { ...details, sharedPool: true },
        hint: 'set llm.local.kvUnified: true so Jarvis keeps the sum of requests within the pool',
        cause: thrown,
      });
    }
    return jarvisError('LLM_UNAVAILABLE', `${who} failed mid-answer: ${oneLine(thrown.message)}`, { details, cause: thrown });
  }
  if (!APICallError.isInstance(thrown)) {
    const message = thrown instanceof Error ? oneLine(thrown.message) : String(thrown);
    return jarvisError('LLM_BAD_RESPONSE', `${who} returned something Jarvis could not use: ${message}`, {
      retryable: false,
      details: { provider },
      cause: thrown,
    });
  }
  const status = thrown.statusCode;
  const body = errorBody(thrown.responseBody);
  const details: Record<string, unknown> = { provider, ...(status !== undefined ? { status } : {}), ...(body.type ? { type: body.type } : {}) };
  if (status === undefined)
    return jarvisError('LLM_UNAVAILABLE', `${who} is unreachable: ${oneLine(thrown.message)}`, {
      details,
      hint: provider === 'local' ? 'check llm.local.baseUrl and that llama-server runs' : 'check the network path to api.anthropic.com',
      cause: thrown,
    });
  if (status === 401 || status === 403)
    return jarvisError('LLM_AUTH', `${who} refused the API key (HTTP ${status})`, { details, hint: keyHint, cause: thrown });
  if (status === 400 && body.type === 'exceed_context_size_error') {
    return jarvisError('LLM_CONTEXT_EXCEEDED', `the prompt (${body.nPromptTokens ?? '?'} tokens) does not fit the slot (${body.nCtx ?? '?'} tokens)`, {
      retryable: true,
      details: { ...details, nPromptTokens: body.nPromptTokens, nCtx: body.nCtx },
      cause: thrown,
    });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(thrown.responseHeaders, now);
    return jarvisError(
      'LLM_RATE_LIMITED',
      `${who} is rate limiting Jarvis${retryAfterMs !== undefined ? ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)` : ''}`,
      { details: { ...details, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, cause: thrown },
    );
  }
  if (status === 529 || body.type === 'overloaded_error')
    return jarvisError('LLM_OVERLOADED', `${who} is overloaded (HTTP ${status})`, { details, cause: thrown });
  if (status === 500 && (body.message ?? '').includes(SHARED_POOL_OVERRUN)) {
    return jarvisError('LLM_CAPACITY', `${who} ran out of shared context (HTTP 500 "${SHARED_POOL_OVERRUN}.")`, {
      details: { ...details, sharedPool: true },
      hint: 'set llm.local.kvUnified: true so Jarvis keeps the sum of requests within the pool',
      cause: thrown,
    });
  }
  if (status === 503)
    return jarvisError('LLM_UNAVAILABLE', `${who} is not ready (HTTP 503${body.message ? `: ${oneLine(body.message)}` : ''})`, { details, cause: thrown });
  if (status >= 500) return jarvisError('LLM_UNAVAILABLE', `${who} failed (HTTP ${status})`, { details, cause: thrown });
  return jarvisError('LLM_BAD_RESPONSE', `${who} rejected the request (HTTP ${status}${body.message ? `: ${oneLine(body.message)}` : ''})`, {
    retryable: false,
    details,
    cause: thrown,
  });
}
