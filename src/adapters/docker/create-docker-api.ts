import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import { checkKnownHost, hostKeyAlgorithmsFor, matchesFingerprint, parseKnownHosts } from '../ssh/known-hosts.ts';
import { DockerodeDockerApi, DOCKER_DEFAULT_TIMEOUT_MS, type DockerHostConnection } from './dockerode-docker-api.ts';
import { parseDockerEndpoint } from './parse-docker-endpoint.ts';
import { SshTunnelAgent } from './ssh-tunnel-agent.ts';

export interface DockerApiConfig {
  /** Docker host name (e.g. `docker@103`) -> endpoint: `tcp://HOST:2375` (socket proxy), `https://HOST:2376`, `ssh://USER@HOST`. */
  readonly hosts: Readonly<Record<string, string>>;
  /** Per-call deadline, default 10 000 ms. */
  readonly timeoutMs?: number | undefined;
  /** Container names (or ids) never started/stopped/restarted, whatever the caller says: Jarvis's own container. */
  readonly protectedContainers?: readonly string[] | undefined;
  /** Byte cap for logs, default 64 KiB. */
  readonly logMaxBytes?: number | undefined;
  /** Client certificate material for `https://` endpoints (Docker TCP with TLS). */
  readonly tls?: { readonly ca?: string | Buffer; readonly cert?: string | Buffer; readonly key?: string | Buffer } | undefined;
  /** Required for `ssh://` endpoints: key auth and host-key pins (known_hosts text or fingerprints by endpoint host). */
  readonly ssh?:
    | {
        readonly privateKey: string | Buffer;
        readonly passphrase?: string | undefined;
        readonly knownHosts?: string | undefined;
        readonly fingerprints?: Readonly<Record<string, string>> | undefined;
      }
    | undefined;
}

/**
 * Validates the Docker config and builds the DockerApi. CONFIG_INVALID for a unix socket or
 * malformed endpoint, or an `ssh://` endpoint without `ssh` settings. Never opens a connection.
 */
export function createDockerApi(config: DockerApiConfig): Result<DockerodeDockerApi, JarvisError> {
  const connections: Record<string, DockerHostConnection> = {};
  const knownHosts = parseKnownHosts(config.ssh?.knownHosts ?? '');
  for (const [name, text] of Object.entries(config.hosts)) {
    const endpoint = parseDockerEndpoint(text);
    if (!endpoint.ok) return err({ ...endpoint.error, details: { key: `docker.hosts.${name}` } });
    if (endpoint.value.protocol !== 'ssh') {
      connections[name] = { endpoint: endpoint.value, tls: endpoint.value.protocol === 'https' ? config.tls : undefined };
      continue;
    }
    const ssh = config.ssh;
    if (!ssh)
      return err(
        jarvisError('CONFIG_INVALID', `docker.hosts.${name} is an ssh:// endpoint but no SSH key is configured`, {
          hint: 'set ssh.keyFile and pin the host in ssh.knownHostsFile',
        }),
      );
    const { host, port, username } = endpoint.value;
    const fingerprint = ssh.fingerprints?.[host];
    connections[name] = {
      endpoint: endpoint.value,
      agent: new SshTunnelAgent({
        host,
        port,
        username,
        privateKey: ssh.privateKey,
        passphrase: ssh.passphrase,
        readyTimeoutMs: config.timeoutMs ?? DOCKER_DEFAULT_TIMEOUT_MS,
        hostKeyAlgorithms: fingerprint === undefined ? hostKeyAlgorithmsFor(knownHosts, host, port) : undefined,
        verifyHostKey: (blob) =>
          fingerprint !== undefined ? (matchesFingerprint(blob, fingerprint) ? 'match' : 'mismatch') : checkKnownHost(knownHosts, host, port, blob),
      }),
    };
  }
  return ok(
    new DockerodeDockerApi(connections, { timeoutMs: config.timeoutMs, logMaxBytes: config.logMaxBytes, protectedContainers: config.protectedContainers }),
  );
}
