/**
 * Request parameters as PVE reads them: query string for GET/DELETE, form-urlencoded or JSON body
 * for POST/PUT (JSON booleans become 1/0).
 */
import type { IncomingMessage } from 'node:http';

export const BODY_LIMIT_BYTES = 64 * 1024;

/** Reads the body (up to BODY_LIMIT_BYTES); undefined when it is too large. */
export async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a body; returns undefined when a JSON body is not valid JSON. */
export function parseBody(contentType: string | undefined, body: string): Record<string, string> | undefined {
  if (body.trim() === '') return {};
  if ((contentType ?? '').includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
      const out: Record<string, string> = {};
      for (const [key, value] of Object.entries(parsed))
        out[key] = typeof value === 'boolean' ? (value ? '1' : '0') : typeof value === 'string' ? value : JSON.stringify(value);
      return out;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}
