/**
 * Stable error catalogue. Codes are strings that never change meaning; `retryable` is computed
 * when the error is built (never by parsing a message) and `hint` names the fix.
 */
export const ERROR_CODES = [
  // configuration
  'CONFIG_INVALID',
  // Proxmox VE API
  'PVE_UNREACHABLE',
  'PVE_AUTH',
  'PVE_PERMISSION',
  'PVE_NOT_FOUND',
  'PVE_TIMEOUT',
  'PVE_NODE_UNREACHABLE',
  'PVE_NO_QUORUM',
  'PVE_BAD_REQUEST',
  'PVE_ERROR',
  'PVE_BAD_RESPONSE',
  'TLS_FINGERPRINT_MISMATCH',
  // tasks
  'TASK_FAILED',
  'TASK_TIMEOUT',
  // ssh / docker
  'SSH_UNREACHABLE',
  'SSH_HOST_KEY_UNKNOWN',
  'SSH_HOST_KEY_MISMATCH',
  'SSH_AUTH',
  'SSH_TIMEOUT',
  'SSH_COMMAND_FAILED',
  'DOCKER_UNREACHABLE',
  'DOCKER_TIMEOUT',
  'DOCKER_NOT_FOUND',
  'DOCKER_ERROR',
  // safety kernel
  'DENIED',
  'NEEDS_CONFIRMATION',
  'TICKET_INVALID',
  'AUDIT_UNAVAILABLE',
  'FROZEN',
  'STORAGE_UNAVAILABLE',
  // generic
  'INVALID_INPUT',
  'TIMEOUT',
  'INTERNAL',
  // http / auth
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'ORIGIN_NOT_ALLOWED',
  'HOST_NOT_ALLOWED',
  'RATE_LIMITED',
  'NOT_FOUND',
  'AI_DISABLED',
  // MCP stdio proxy
  'JARVIS_UNREACHABLE',
  // models (LLM gateway)
  'LLM_UNAVAILABLE',
  'LLM_TIMEOUT',
  'LLM_RATE_LIMITED',
  'LLM_OVERLOADED',
  'LLM_CONTEXT_EXCEEDED',
  'LLM_CAPACITY',
  'LLM_BUDGET_EXCEEDED',
  'LLM_BAD_RESPONSE',
  'LLM_AUTH',
  'LLM_SHED',
  // memory
  'MEMORY_REJECTED',
  // notifications
  'NOTIFY_FAILED',
  // generic
  'CONFLICT',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A structured, expected failure. Returned as a value; never thrown across a port. */
export interface JarvisError {
  readonly code: ErrorCode;
  /** One line, human readable; safe to show to users and models. */
  readonly message: string;
  /** True when the same call may succeed if repeated later. */
  readonly retryable: boolean;
  /** What to do about it: the config key, command or setting that fixes it. */
  readonly hint?: string;
  /** Extra structured detail (HTTP status, PVE parameter errors, ...). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The original error, for logs only. */
  readonly cause?: unknown;
}

/** Codes that are transient by nature; everything else defaults to not retryable. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PVE_UNREACHABLE',
  'PVE_TIMEOUT',
  'PVE_NODE_UNREACHABLE',
  'PVE_NO_QUORUM',
  'TASK_TIMEOUT',
  'SSH_UNREACHABLE',
  'SSH_TIMEOUT',
  'DOCKER_UNREACHABLE',
  'DOCKER_TIMEOUT',
  'AUDIT_UNAVAILABLE',
  'TIMEOUT',
  'LLM_UNAVAILABLE',
  'LLM_TIMEOUT',
  'LLM_RATE_LIMITED',
  'LLM_OVERLOADED',
  'LLM_CAPACITY',
  'LLM_SHED',
  'NOTIFY_FAILED',
]);

/** Builds a JarvisError; `retryable` defaults from the code's nature. */
export function jarvisError(
  code: ErrorCode,
  message: string,
  extra: { retryable?: boolean; hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
): JarvisError {
  return {
    code,
    message,
    retryable: extra.retryable ?? RETRYABLE.has(code),
    ...(extra.hint !== undefined ? { hint: extra.hint } : {}),
    ...(extra.details !== undefined ? { details: extra.details } : {}),
    ...(extra.cause !== undefined ? { cause: extra.cause } : {}),
  };
}

/** Thrown form of a JarvisError, for the few places where a value cannot be returned. */
export class JarvisException extends Error {
  readonly error: JarvisError;
  constructor(error: JarvisError) {
    super(error.message);
    this.name = 'JarvisException';
    this.error = error;
  }
}

export type Result<T, E = JarvisError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = JarvisError>(error: E): Result<never, E> => ({ ok: false, error });

/** Converts anything thrown into a JarvisError (keeps JarvisException's payload). */
export function toJarvisError(thrown: unknown, fallback: ErrorCode = 'INTERNAL'): JarvisError {
  if (thrown instanceof JarvisException) return thrown.error;
  if (isJarvisError(thrown)) return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return jarvisError(fallback, message.split('\n')[0] ?? 'unknown error', { cause: thrown });
}

export function isJarvisError(value: unknown): value is JarvisError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { retryable?: unknown }).retryable === 'boolean'
  );
}
