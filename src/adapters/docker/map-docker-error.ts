import { jarvisError, type JarvisError } from '../../core/errors.ts';

/** Socket-level failures that mean "the daemon or its proxy is not there". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

interface ModemError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly level?: string;
  readonly json?: { readonly message?: unknown } | null;
  /** Set by SshTunnelAgent when it refused the Docker host's SSH host key. */
  readonly hostKeyVerdict?: 'unknown' | 'mismatch';
}

/**
 * Maps a dockerode/docker-modem failure to a JarvisError by its status code or errno code (never
 * by message text). `timedOut` is set by the caller when its own deadline aborted the request.
 */
export function mapDockerError(thrown: unknown, where: string, timedOut: boolean, timeoutMs: number): JarvisError {
  if (timedOut) {
    return jarvisError('DOCKER_TIMEOUT', `docker ${where}: no answer within ${timeoutMs} ms`, {
      hint: 'check the Docker host, or raise docker.timeoutMs',
      details: { timeoutMs },
    });
  }
  const error = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as ModemError;
  const engineMessage = typeof error.json?.message === 'string' ? error.json.message.slice(0, 200) : undefined;
  if (error.hostKeyVerdict === 'unknown') {
    return jarvisError('SSH_HOST_KEY_UNKNOWN', `docker ${where}: the SSH host key of the Docker host is not pinned`, {
      hint: 'add the Docker host to ssh.knownHostsFile',
    });
  }
  if (error.hostKeyVerdict === 'mismatch') {
    return jarvisError('SSH_HOST_KEY_MISMATCH', `docker ${where}: the SSH host key of the Docker host changed; refusing to connect`, {
      hint: 'verify the new key, then update ssh.knownHostsFile',
    });
  }
  if (error.level === 'client-authentication') {
    return jarvisError('SSH_AUTH', `docker ${where}: SSH public key refused by the Docker host`, {
      hint: "add Jarvis's public key to the Docker host user's authorized_keys",
    });
  }
  const status = error.statusCode;
  if (status === 404) return jarvisError('DOCKER_NOT_FOUND', engineMessage ?? `docker ${where}: not found`, { details: { status } });
  if (status === 403) {
    return jarvisError('DOCKER_ERROR', `docker ${where}: forbidden by the socket proxy`, {
      hint: "the socket proxy's allow-list must include this call (deploy/docker-compose.yml lists the ones Jarvis makes; docs/docker-proxy.md); `jarvis doctor` names the refused call",
      details: { status },
    });
  }
  if (status === 502 || status === 503 || status === 504) {
    return jarvisError('DOCKER_UNREACHABLE', `docker ${where}: the proxy cannot reach the Docker daemon (HTTP ${status})`, {
      hint: 'check that dockerd runs on the Docker host',
      details: { status },
    });
  }
  if (status !== undefined) return jarvisError('DOCKER_ERROR', `docker ${where}: ${engineMessage ?? `HTTP ${status}`}`, { details: { status }, cause: thrown });
  if ((error.code && UNREACHABLE_CODES.has(error.code)) || error.level !== undefined) {
    return jarvisError('DOCKER_UNREACHABLE', `docker ${where}: cannot connect (${error.code ?? error.level})`, {
      hint: 'check docker.hosts in the config and that the socket proxy (or sshd) is up',
      cause: thrown,
    });
  }
  return jarvisError('DOCKER_ERROR', `docker ${where}: ${thrown instanceof Error ? thrown.message.split('\n')[0] : 'unexpected failure'}`, { cause: thrown });
}
