import type { FastifyRequest } from 'fastify';

/** The request's own origin as the browser sees it: `<protocol>://<host[:port]>`, lower-case. */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`.toLowerCase();
}

/**
 * True when the request's Origin header is absent or allowed (its own origin or one of `allowed`).
 * Browsers send Origin on every cross-site request, on every non-GET fetch and on every WebSocket
 * upgrade, so a foreign page can never pass. `null` (sandboxed frames, file:) is foreign.
 */
export function originAllowed(request: FastifyRequest, allowed: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const value = origin.toLowerCase();
  return value === ownOrigin(request) || allowed.has(value);
}

/** Normalises configured origins (`https://Jarvis.lan/` -> `https://jarvis.lan`). */
export function normaliseOrigins(origins: readonly string[]): Set<string> {
  return new Set(origins.map((origin) => origin.trim().replace(/\/+$/, '').toLowerCase()));
}
