import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';

/** A Docker Engine endpoint Jarvis may use: HTTP(S) to a socket proxy, or SSH to the Docker host. */
export type DockerEndpoint =
  | { readonly protocol: 'http' | 'https'; readonly host: string; readonly port: number }
  | { readonly protocol: 'ssh'; readonly host: string; readonly port: number; readonly username: string };

const HINT =
  'set docker.hosts.<name> to tcp://HOST:2375 (a docker-socket-proxy, see docs/docker-proxy.md) or ssh://USER@HOST; never mount /var/run/docker.sock';

/**
 * Parses a configured endpoint: `tcp://host:port` or `http://` (plain HTTP, default port 2375),
 * `https://` (TLS, default 2376), `ssh://user@host[:port]`. A unix socket (`unix://`, a bare path,
 * `npipe://`) is refused with CONFIG_INVALID: a mounted docker.sock is root on the host (seed pitfall 9).
 */
export function parseDockerEndpoint(text: string): Result<DockerEndpoint, JarvisError> {
  const trimmed = text.trim();
  if (trimmed.startsWith('/') || /^(unix|npipe):/i.test(trimmed) || /docker\.sock/i.test(trimmed)) {
    return err(
      jarvisError('CONFIG_INVALID', `refusing Docker endpoint '${trimmed.slice(0, 80)}': a Docker socket is root-equivalent access to the host`, {
        hint: HINT,
      }),
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return err(jarvisError('CONFIG_INVALID', `Docker endpoint '${trimmed.slice(0, 80)}' is not a URL`, { hint: HINT }));
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return err(jarvisError('CONFIG_INVALID', `Docker endpoint '${trimmed.slice(0, 80)}' has no host`, { hint: HINT }));
  const port = url.port ? Number(url.port) : undefined;
  switch (url.protocol) {
    case 'tcp:':
    case 'http:':
      return ok({ protocol: 'http', host, port: port ?? 2375 });
    case 'https:':
      return ok({ protocol: 'https', host, port: port ?? 2376 });
    case 'ssh:':
      return ok({ protocol: 'ssh', host, port: port ?? 22, username: decodeURIComponent(url.username) || 'root' });
    default:
      return err(jarvisError('CONFIG_INVALID', `unsupported Docker endpoint scheme '${url.protocol}'`, { hint: HINT }));
  }
}
