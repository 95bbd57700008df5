import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import { classifyPveResponse } from './classify-response.ts';
import type { RawResponse } from './send-request.ts';

/** The decoded `{data, total?}` envelope. */
export interface PveEnvelope {
  readonly data: unknown;
  readonly total?: number | undefined;
}

/**
 * Judges a buffered response: non-2xx -> classified PVE error (the body, when JSON, supplies
 * `message`/`errors`); 2xx without valid JSON or without a `data` key -> PVE_BAD_RESPONSE.
 */
export function parseEnvelope(raw: RawResponse, method: string, path: string): Result<PveEnvelope, JarvisError> {
  let json: unknown;
  let parseError: unknown;
  try {
    json = raw.body.length > 0 ? JSON.parse(raw.body.toString('utf8')) : undefined;
  } catch (error) {
    parseError = error;
  }
  if (raw.status < 200 || raw.status > 299) return err(classifyPveResponse({ status: raw.status, reason: raw.reason, body: json, method, path }));
  if (parseError !== undefined || typeof json !== 'object' || json === null || !('data' in json)) {
    return err(
      jarvisError('PVE_BAD_RESPONSE', `PVE answered ${method} ${path} with ${parseError ? 'invalid JSON' : 'no {data} envelope'}`, {
        details: { method, path, status: raw.status },
        cause: parseError,
      }),
    );
  }
  const envelope = json as { data: unknown; total?: unknown };
  const total =
    typeof envelope.total === 'number' ? envelope.total : typeof envelope.total === 'string' && envelope.total !== '' ? Number(envelope.total) : undefined;
  return ok({ data: envelope.data, total: Number.isFinite(total) ? total : undefined });
}
