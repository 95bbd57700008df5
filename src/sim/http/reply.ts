/**
 * PVE's response format: `{"data":...}` envelope, `total` on paged lists, `errors` on 400,
 * the error text both in the HTTP reason phrase and in `message`, exact content type.
 * @see reference pve-api.md §1.2, §2
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

export const CONTENT_TYPE = 'application/json;charset=UTF-8';

export interface Reply {
  readonly status: number;
  /** Error text (reason phrase + `message`); absent on success. */
  readonly message?: string | undefined;
  readonly data?: unknown;
  readonly total?: number | undefined;
  readonly errors?: Readonly<Record<string, string>> | undefined;
  /** Proxy errors (595) have an empty body, not JSON. */
  readonly emptyBody?: boolean | undefined;
}

export const ok = (data: unknown, total?: number): Reply => ({ status: 200, data, ...(total !== undefined ? { total } : {}) });
export const fail = (status: number, message: string, errors?: Record<string, string>): Reply => ({ status, message, ...(errors ? { errors } : {}) });
/** 400 with PVE's parameter-verification shape. */
export const paramError = (errors: Record<string, string>): Reply => fail(400, 'Parameter verification failed.', errors);

/** First line only, printable ASCII only (Node refuses other bytes in a status line). */
export function reasonPhrase(message: string): string {
  const firstLine = message.split(/\r?\n/)[0] ?? '';
  return firstLine.replace(/[^\x20-\x7e]/g, '?').slice(0, 500) || 'Error';
}

const BASE_HEADERS = {
  Server: 'pve-api-daemon/3.0',
  'Cache-Control': 'max-age=0',
  Pragma: 'no-cache',
  Expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
};

/** Writes a reply; gzips JSON bodies over 1 KiB when the client accepts gzip (as PVE does). */
export function writeReply(request: IncomingMessage, response: ServerResponse, reply: Reply): void {
  const reason = reply.message !== undefined ? reasonPhrase(reply.message) : 'OK';
  if (reply.emptyBody) {
    response.writeHead(reply.status, reason, { ...BASE_HEADERS, 'Content-Length': 0 });
    response.end();
    return;
  }
  const envelope: Record<string, unknown> = { data: reply.data ?? null };
  if (reply.total !== undefined) envelope.total = reply.total;
  if (reply.errors !== undefined) envelope.errors = reply.errors;
  if (reply.message !== undefined) envelope.message = `${reply.message}\n`;
  writeBody(request, response, reply.status, reason, Buffer.from(JSON.stringify(envelope)));
}

/** Writes raw JSON bytes with PVE's headers (used for malformed-body faults too). */
export function writeBody(request: IncomingMessage, response: ServerResponse, status: number, reason: string, body: Buffer): void {
  const gzip = body.length > 1024 && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const payload = gzip ? gzipSync(body) : body;
  response.writeHead(status, reason, {
    ...BASE_HEADERS,
    'Content-Type': CONTENT_TYPE,
    'Content-Length': payload.length,
    ...(gzip ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {}),
  });
  response.end(payload);
}
