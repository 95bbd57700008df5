import { readFile } from 'node:fs/promises';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import { createDockerApi } from './create-docker-api.ts';
import type { DockerodeDockerApi } from './dockerode-docker-api.ts';

/** The config values the Docker adapter needs (config sections `docker`, `ssh`, `timeouts.dockerMs`). */
export interface DockerFileConfig {
  readonly hosts: Readonly<Record<string, string>>;
  readonly tls?: { readonly caFile?: string | undefined; readonly certFile?: string | undefined; readonly keyFile?: string | undefined } | undefined;
  readonly timeoutMs: number;
  /** Jarvis's own container name(s) (config topology.self.container): actions on them are refused. */
  readonly protectedContainers?: readonly string[] | undefined;
  /** For ssh:// endpoints: the same key and known_hosts as the node SSH runner. */
  readonly ssh?: { readonly keyFile?: string | undefined; readonly knownHostsFile?: string | undefined } | undefined;
}

/**
 * Builds the DockerApi from config at start-up, reading TLS and SSH files. CONFIG_INVALID for a unix
 * socket endpoint, an unreadable file, or an ssh:// endpoint without `ssh.keyFile`.
 */
export async function loadDockerApi(config: DockerFileConfig): Promise<Result<DockerodeDockerApi, JarvisError>> {
  const read = async (path: string | undefined, key: string, optional = false): Promise<Result<Buffer | undefined, JarvisError>> => {
    if (!path) return ok(undefined);
    try {
      return ok(await readFile(path));
    } catch (error) {
      if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined);
      return err(
        jarvisError('CONFIG_INVALID', `cannot read ${key} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
          hint: `check ${key} and its permissions`,
          cause: error,
        }),
      );
    }
  };
  const ca = await read(config.tls?.caFile, 'docker.tls.caFile');
  const cert = await read(config.tls?.certFile, 'docker.tls.certFile');
  const key = await read(config.tls?.keyFile, 'docker.tls.keyFile');
  const needsSsh = Object.values(config.hosts).some((url) => url.trim().startsWith('ssh:'));
  const sshKey = needsSsh ? await read(config.ssh?.keyFile, 'ssh.keyFile') : ok(undefined);
  const knownHosts = needsSsh ? await read(config.ssh?.knownHostsFile, 'ssh.knownHostsFile', true) : ok(undefined);
  for (const result of [ca, cert, key, sshKey, knownHosts]) if (!result.ok) return result;
  const value = <T>(result: Result<T, JarvisError>): T | undefined => (result.ok ? result.value : undefined);
  const tls = config.tls
    ? { ...(value(ca) ? { ca: value(ca)! } : {}), ...(value(cert) ? { cert: value(cert)! } : {}), ...(value(key) ? { key: value(key)! } : {}) }
    : undefined;
  const privateKey = value(sshKey);
  return createDockerApi({
    hosts: config.hosts,
    timeoutMs: config.timeoutMs,
    protectedContainers: config.protectedContainers,
    tls,
    ssh: privateKey ? { privateKey, knownHosts: value(knownHosts)?.toString('utf8') ?? '' } : undefined,
  });
}
