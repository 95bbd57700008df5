import type { FastifyReply } from 'fastify';
import type { ErrorCode, JarvisError } from '../../core/errors.ts';
import type { ErrorResponse } from '../../protocol/index.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  HOST_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  PVE_NOT_FOUND: 404,
  TICKET_INVALID: 409,
  AI_DISABLED: 409,
  FROZEN: 423,
  RATE_LIMITED: 429,
  AUDIT_UNAVAILABLE: 503,
  PVE_UNREACHABLE: 502,
  PVE_TIMEOUT: 504,
  TIMEOUT: 504,
};

/** HTTP status for an error code: 4xx for caller problems, 502/503/504 for dependencies, else 500. */
export function statusFor(code: ErrorCode): number {
  return STATUS[code] ?? (code.startsWith('PVE_') || code.startsWith('SSH_') || code.startsWith('DOCKER_') ? 502 : 500);
}

/** The `{ ok: false, error }` body; `cause` and `details` never leave the server. */
export function errorBody(error: JarvisError): ErrorResponse {
  return { ok: false, error: { code: error.code, message: error.message, retryable: error.retryable, ...(error.hint ? { hint: error.hint } : {}) } };
}

/** Sends a JarvisError with its status (and Retry-After for RATE_LIMITED). */
export function sendError(reply: FastifyReply, error: JarvisError): FastifyReply {
  if (error.code === 'RATE_LIMITED') {
    const retryAfterMs = Number(error.details?.['retryAfterMs'] ?? 1000);
    reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  }
  return reply.code(statusFor(error.code)).send(errorBody(error));
}
