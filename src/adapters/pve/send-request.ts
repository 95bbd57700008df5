import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { err, ok, type JarvisError, type Result } from '../../core/errors.ts';
import { classifyTransportError, type AbortKind } from './classify-transport-error.ts';

/** A complete HTTP response, body buffered (and gunzipped when the server compressed it). */
export interface RawResponse {
  readonly status: number;
  readonly reason: string;
  readonly body: Buffer;
}

export interface RawRequest {
  readonly agent: https.Agent;
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | undefined;
  /** Aborts the call; its reason tells timeout from cancellation (see `abortKind`). */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Path without query, for error details. */
  readonly displayPath: string;
  readonly maxBodyBytes?: number | undefined;
}

/** Marks the reason we put in our own deadline signal, so a timeout is told from a caller abort. */
export const DEADLINE_REASON = Symbol('pve-deadline');

/** URL.hostname keeps IPv6 brackets (`[::1]`); sockets want the bare address. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function abortKind(signal: AbortSignal): AbortKind {
  return signal.reason === DEADLINE_REASON ? 'timeout' : 'caller';
}

/**
 * Sends one HTTPS request and buffers the answer. Never rejects: socket, TLS and deadline
 * failures come back as JarvisErrors (classifyTransportError). HTTP status is not judged here.
 * A GET that fails with ECONNRESET on a REUSED keep-alive socket (the server closed it while idle:
 * the classic keep-alive race) is sent once more on a fresh socket; nothing else is retried.
 */
export async function sendRequest(request: RawRequest): Promise<Result<RawResponse, JarvisError>> {
  const first = await sendOnce(request);
  if (first.ok || request.method !== 'GET' || request.signal.aborted || first.error.details?.staleSocket !== true) return first;
  return sendOnce(request);
}

function sendOnce(request: RawRequest): Promise<Result<RawResponse, JarvisError>> {
  const { url, method, signal, timeoutMs, displayPath } = request;
  const context = { method, path: displayPath, timeoutMs };
  const maxBodyBytes = request.maxBodyBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Result<RawResponse, JarvisError>): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const fail = (error: unknown): void => {
      const classified = classifyTransportError(error, { ...context, aborted: signal.aborted ? abortKind(signal) : undefined });
      const stale = outgoing.reusedSocket && (error as { code?: unknown })?.code === 'ECONNRESET' && !responded;
      finish(err(stale ? { ...classified, details: { ...classified.details, staleSocket: true } } : classified));
    };
    let responded = false;
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    const outgoing = https.request(
      { agent: request.agent, protocol: url.protocol, hostname: bareHost(url), port: url.port || 443, path: url.pathname + url.search, method, headers },
      (incoming) => {
        responded = true;
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) {
            incoming.destroy(new Error(`response body larger than ${maxBodyBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        incoming.on('error', fail);
        incoming.on('aborted', () => fail(new Error('response aborted')));
        incoming.on('end', () => {
          let body = Buffer.concat(chunks);
          try {
            if (/gzip/i.test(String(incoming.headers['content-encoding'] ?? ''))) body = gunzipSync(body);
          } catch (error) {
            fail(error);
            return;
          }
          finish(ok({ status: incoming.statusCode ?? 0, reason: incoming.statusMessage ?? '', body }));
        });
      },
    );
    const onAbort = (): void => {
      outgoing.destroy(new Error('aborted'));
      fail(new Error('aborted'));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', fail);
    outgoing.end(request.body);
  });
}
