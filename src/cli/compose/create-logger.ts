import { pino, type DestinationStream } from 'pino';
import type { Logger } from '../../core/ports/logger.ts';

/**
 * Field paths pino censors in every line: a backstop, not the policy. Jarvis never logs a secret on
 * purpose (test/cli/no-secrets-in-logs.test.ts drives the real server to prove it); these catch a
 * config, request or error object that carries one into a log call by accident, at the top level
 * or one level down (pino's `*` is one level).
 */
export const REDACT_PATHS: readonly string[] = [
  ...['password', 'token', 'tokenSecret', 'apiKey', 'secret', 'sessionSecret', 'cookie', 'authorization'].flatMap((key) => [key, `*.${key}`]),
  ...['authorization', 'cookie', 'set-cookie', 'x-api-key'].flatMap((header) => [`headers["${header}"]`, `*.headers["${header}"]`]),
];

/**
 * The process logger: pino JSON lines on stderr (stdout is kept for the few lines a human or a
 * script reads: the dashboard URL, the first-start password, doctor verdicts), with
 * `REDACT_PATHS` censored to `[redacted]`. `destination` is for tests.
 */
export function createLogger(
  level: 'debug' | 'info' | 'warn' | 'error',
  base: Record<string, unknown> = {},
  destination: DestinationStream = pino.destination({ fd: 2, sync: false }),
): Logger {
  return pino({ level, base: { app: 'jarvis', ...base }, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } }, destination);
}
