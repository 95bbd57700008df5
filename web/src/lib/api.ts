/**
 * HTTP client for the Jarvis API (same origin, session cookie). Answers are validated with the
 * shared zod schemas; failures are values `{ ok: false, error }` with the server's stable code,
 * or `HTTP_<status>` / `NETWORK` / `BAD_RESPONSE` when the server said nothing usable.
 */
import type { z } from 'zod';
import { ErrorResponseSchema } from '../../../src/protocol/index.ts';

export interface ApiError {
  readonly code: string;
  readonly message: string;
  readonly status: number;
  readonly hint?: string | undefined;
}

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** Called on any 401 so the app can show the login page. */
let onUnauthorized: (() => void) | undefined;
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

/**
 * Sends one request and validates the JSON answer with `schema`.
 * @param body serialised as JSON when given (method defaults to POST then, GET otherwise).
 */
export async function apiRequest<S extends z.ZodType>(
  path: string,
  schema: S,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<ApiResult<z.infer<S>>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      credentials: 'same-origin',
      headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (error) {
    return { ok: false, error: { code: 'NETWORK', message: `Jarvis is unreachable (${(error as Error).message})`, status: 0 } };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthorized?.();
    const parsed = ErrorResponseSchema.safeParse(json);
    if (parsed.success) return { ok: false, error: { ...parsed.data.error, status: response.status } };
    return { ok: false, error: { code: `HTTP_${response.status}`, message: `request failed with HTTP ${response.status}`, status: response.status } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, error: { code: 'BAD_RESPONSE', message: `unexpected answer from ${path}`, status: response.status } };
  return { ok: true, value: parsed.data };
}

/** The WebSocket URL on the page's own origin. */
export function socketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
