import { pino } from 'pino';
import type { Logger } from '../../core/ports/logger.ts';

/**
 * The process logger: pino JSON lines on stderr (stdout is kept for the few lines a human or a
 * script reads: the dashboard URL, the first-start password, doctor verdicts).
 */
export function createLogger(level: 'debug' | 'info' | 'warn' | 'error', base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { app: 'jarvis', ...base } }, pino.destination({ fd: 2, sync: false }));
}
