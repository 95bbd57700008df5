import { STATUS_CODES } from 'node:http';
import { jarvisError, type JarvisError } from '../../core/errors.ts';

/** What an HTTP error response from PVE looked like on the wire. */
export interface PveErrorResponse {
  readonly status: number;
  /** The HTTP reason phrase: PVE puts its error text there (`500 VM 103 not running`). */
  readonly reason: string;
  /** Parsed JSON body when there was one (`{data:null, message?, errors?}`). */
  readonly body?: unknown;
  readonly method: string;
  readonly path: string;
}

// The only two texts we match. PVE signals these conditions with nothing but a 500 and a
// sentence (pve-api.md §2.2, §6.2): there is no code or structured field to read instead.
const NO_QUORUM_TEXT = 'cluster not ready - no quorum?';
const DOES_NOT_EXIST_TEXT = 'does not exist';

function bodyField(body: unknown, key: 'message' | 'errors'): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
}

/**
 * The error text: the reason phrase, unless it is only the standard phrase for the status
 * (a server that did not put a message there) and the body carries `message` (pve-http-server
 * >= 5.2.0). First line only, trimmed.
 */
export function pveErrorText(response: Pick<PveErrorResponse, 'status' | 'reason' | 'body'>): string {
  const reason = response.reason.trim();
  const message = bodyField(response.body, 'message');
  const generic = reason === '' || reason === STATUS_CODES[response.status];
  const text = generic && typeof message === 'string' && message.trim() !== '' ? message : reason || `HTTP ${response.status}`;
  return (text.split(/\r?\n/)[0] ?? '').trim();
}

/**
 * Maps a non-2xx PVE response to a JarvisError by status code (and, for 500 only, the two PVE
 * sentences above). Details carry status, method, path and, for 400, PVE's per-parameter `errors`.
 */
export function classifyPveResponse(response: PveErrorResponse): JarvisError {
  const { status, method, path } = response;
  const text = pveErrorText(response);
  const details: Record<string, unknown> = { status, method, path };
  const where = `${method} ${path}`;
  if (status === 401)
    return jarvisError('PVE_AUTH', `PVE refused the credentials (${text})`, {
      details,
      hint: 'check pve.tokenId / the token secret (or username/password) in the config',
    });
  if (status === 403)
    return jarvisError('PVE_PERMISSION', `PVE permission denied: ${text}`, {
      details,
      hint: 'grant the Jarvis role the privilege named in the message (see deploy/ PVE role setup)',
    });
  if (status === 400) {
    const errors = bodyField(response.body, 'errors');
    return jarvisError('PVE_BAD_REQUEST', `PVE rejected the parameters of ${where}: ${text}`, {
      details: { ...details, errors: typeof errors === 'object' && errors !== null ? errors : {} },
    });
  }
  if (status === 404 || status === 501) return jarvisError('PVE_NOT_FOUND', `PVE has no ${where}: ${text}`, { details });
  if (status === 595 || status === 596 || status === 597 || status === 599) {
    return jarvisError('PVE_NODE_UNREACHABLE', `PVE could not reach the node for ${where}: ${text}`, {
      details,
      hint: 'the node is probably offline; /cluster/resources still answers',
    });
  }
  if (status === 500 && text.includes(NO_QUORUM_TEXT))
    return jarvisError('PVE_NO_QUORUM', `PVE refused ${where}: ${text}`, { details, hint: 'the cluster has lost quorum; bring nodes back before writing' });
  if (status === 500 && text.includes(DOES_NOT_EXIST_TEXT)) return jarvisError('PVE_NOT_FOUND', text, { details });
  return jarvisError('PVE_ERROR', text, { details, retryable: status === 502 || status === 503 || status === 504 });
}
