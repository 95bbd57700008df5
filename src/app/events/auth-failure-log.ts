/**
 * Authentication failures in the operator log, rate-limited: the first failure of a kind from a
 * client address in a window is logged at warn at once; the rest of that window are counted and
 * reported in one line (`suppressed`) with the next failure after the window, so a flood of bad
 * logins or tokens costs one line per address per window, not one per attempt. Never logs a
 * password or token: the caller passes the kind, the address and a user name only when it names an
 * existing user (a password typed into the name field is never echoed).
 */
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';

export type AuthFailureKind = 'login' | 'token' | 'session';

export interface AuthFailure {
  readonly kind: AuthFailureKind;
  /** The real client address (after server.trustProxy). */
  readonly ip: string;
  /** An existing user's name; leave out for unknown names. */
  readonly user?: string | undefined;
  /** Error code (UNAUTHENTICATED, RATE_LIMITED...). */
  readonly code?: string | undefined;
}

export interface AuthFailureLog {
  record(failure: AuthFailure): void;
}

export interface AuthFailureLogOptions {
  /** Window per (kind, address); default 60 s. */
  readonly windowMs?: number;
  /** Addresses remembered at once (oldest forgotten first); default 1000. */
  readonly maxKeys?: number;
}

export function createAuthFailureLog(logger: Logger, clock: Clock, options: AuthFailureLogOptions = {}): AuthFailureLog {
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 1000;
  const windows = new Map<string, { start: number; suppressed: number }>();
  return {
    record(failure) {
      const now = clock.now();
      const key = `${failure.kind} ${failure.ip}`;
      const current = windows.get(key);
      if (current && now - current.start < windowMs) {
        current.suppressed += 1;
        return;
      }
      const fields = {
        event: 'auth.failed',
        kind: failure.kind,
        ip: failure.ip,
        ...(failure.user ? { user: failure.user } : {}),
        ...(failure.code ? { code: failure.code } : {}),
      };
      if (current && current.suppressed > 0)
        logger.warn({ ...fields, suppressed: current.suppressed, windowMs }, 'authentication failures (repeated attempts since the last line)');
      else logger.warn(fields, 'authentication failed');
      windows.delete(key);
      windows.set(key, { start: now, suppressed: 0 });
      if (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
    },
  };
}
