import { jarvisError, type JarvisError } from '../../core/errors.ts';
import { FingerprintMismatchError } from './pinned-agent.ts';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
]);

/** Why a request was aborted: our deadline, or the caller's signal. */
export type AbortKind = 'timeout' | 'caller';

/**
 * Maps a failure below HTTP (socket, TLS, deadline) to a JarvisError. `aborted` is set when our
 * own deadline or the caller's signal ended the call; it wins over whatever error the abort caused.
 */
export function classifyTransportError(
  error: unknown,
  context: { method: string; path: string; timeoutMs: number; aborted?: AbortKind | undefined },
): JarvisError {
  const { method, path, timeoutMs, aborted } = context;
  const details: Record<string, unknown> = { method, path };
  if (aborted === 'timeout') {
    return jarvisError('PVE_TIMEOUT', `PVE did not answer ${method} ${path} within ${timeoutMs} ms`, {
      details: { ...details, timeoutMs },
      hint: 'raise pve.timeoutMs, or check the PVE host load',
      cause: error,
    });
  }
  if (aborted === 'caller') {
    return jarvisError('PVE_TIMEOUT', `${method} ${path} was cancelled by the caller`, { details: { ...details, cancelled: true }, cause: error });
  }
  if (error instanceof FingerprintMismatchError) {
    return jarvisError('TLS_FINGERPRINT_MISMATCH', error.message, {
      retryable: false,
      details: { ...details, expected: error.expected, actual: error.actual },
      hint: 'the PVE certificate changed or this is not your PVE host; verify and update pve.fingerprint (nothing was sent)',
      cause: error,
    });
  }
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const message = error instanceof Error ? error.message : String(error);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return jarvisError('TLS_FINGERPRINT_MISMATCH', `PVE TLS certificate not trusted (${code}): ${message}`, {
      retryable: false,
      details: { ...details, tlsCode: code },
      hint: 'PVE uses a self-signed certificate: set pve.fingerprint to its SHA-256 fingerprint (nothing was sent)',
      cause: error,
    });
  }
  if (UNREACHABLE_CODES.has(code) || /socket hang up/i.test(message)) {
    return jarvisError('PVE_UNREACHABLE', `cannot reach PVE for ${method} ${path}: ${code || message}`, {
      details: { ...details, errno: code },
      hint: 'check pve.url and that port 8006 is reachable',
      cause: error,
    });
  }
  return jarvisError('PVE_UNREACHABLE', `request ${method} ${path} failed: ${message.split('\n')[0]}`, { details, cause: error });
}
