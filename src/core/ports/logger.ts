/**
 * Structured logging port. The shape is pino's `(fields, message)` call, so a pino logger (or a
 * child of one) satisfies it directly; tests pass a recording or silent logger.
 * Never log secrets: callers pass ids and codes, not token values.
 */
export interface Logger {
  debug(fields: Readonly<Record<string, unknown>>, message: string): void;
  info(fields: Readonly<Record<string, unknown>>, message: string): void;
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
  error(fields: Readonly<Record<string, unknown>>, message: string): void;
}

/** A logger that drops everything (for tests and one-shot CLI commands). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
