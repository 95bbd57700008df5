import type { JarvisError } from '../../core/errors.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import { check, type CheckResult } from './doctor-report.ts';

/**
 * The oldest Docker Engine API Jarvis accepts: 1.41 = Docker 20.10, the oldest Engine current
 * distributions still ship (Debian 12's docker.io). Jarvis is tested against 1.47 (the simulator).
 */
export const MIN_DOCKER_API_VERSION = '1.41';

const ALLOW_LIST =
  'deploy/docker-compose.yml lists exactly what Jarvis needs: -allowGET=(/v1\\.[0-9]+)?/(version|_ping|containers/json|containers/[a-zA-Z0-9_.-]+/(json|logs)) and -allowPOST=(/v1\\.[0-9]+)?/containers/[a-zA-Z0-9_.-]+/(start|stop|restart)';

/** `1.24` < `1.41`, numerically per part. */
export function apiVersionBelow(version: string, minimum: string): boolean {
  const [a = 0, b = 0] = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [c = 0, d = 0] = minimum.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return a < c || (a === c && b < d);
}

/** One Engine API call the doctor makes, named the way the proxy's allow-list sees it. */
interface Probe {
  readonly call: string;
  readonly error: JarvisError;
}

function explain(host: string, probe: Probe, timeoutMs: number): CheckResult {
  const { call, error } = probe;
  const status = typeof error.details?.status === 'number' ? error.details.status : undefined;
  const name = 'Docker';
  if (status === 403) {
    return check(
      name,
      'FAIL',
      `${host}: the socket proxy refused ${call} (HTTP 403)`,
      `add ${call} to the socket proxy's allow-list and recreate it (\`docker compose up -d docker-proxy\`); ${ALLOW_LIST}`,
      `the allow-list proxy in front of the Docker daemon does not allow ${call}, which Jarvis needs`,
    );
  }
  if (status !== undefined && status >= 500) {
    return check(
      name,
      'FAIL',
      `${host}: ${call} answered HTTP ${status} by the socket proxy`,
      'on the Docker host: `systemctl status docker` and `systemctl start docker`; check the proxy mounts /var/run/docker.sock (`docker compose logs docker-proxy`)',
      'the socket proxy is up but cannot reach the Docker daemon: dockerd is down or its socket is not mounted into the proxy',
    );
  }
  if (error.code === 'DOCKER_TIMEOUT') {
    return check(
      name,
      'FAIL',
      `${host}: ${call} got no answer within ${timeoutMs} ms`,
      'check `docker compose logs docker-proxy` and that `docker version` answers on the Docker host; raise docker.timeoutMs only if the host is just slow',
      'the proxy accepted the connection but neither it nor the daemon behind it answered',
    );
  }
  if (error.code === 'DOCKER_UNREACHABLE') {
    return check(
      name,
      'FAIL',
      `${host}: ${call} failed: ${error.message}`,
      `start the socket proxy (\`docker compose up -d docker-proxy\`) and check docker.hosts.${host} points at it (tcp://docker-proxy:2375 inside the compose network); test with \`curl http://<proxy>:2375/version\` from where Jarvis runs`,
      'nothing answers at the configured Docker endpoint: the socket proxy is not running, or docker.hosts names the wrong address or port',
    );
  }
  if (error.code === 'SSH_HOST_KEY_UNKNOWN' || error.code === 'SSH_HOST_KEY_MISMATCH' || error.code === 'SSH_AUTH') {
    return check(
      name,
      'FAIL',
      `${host}: ${error.message}`,
      error.hint ?? 'check ssh.knownHostsFile and the key',
      'the SSH transport to the Docker host was refused',
    );
  }
  return check(
    name,
    'FAIL',
    `${host}: ${call} failed: ${error.message}`,
    error.hint ?? 'check docker.hosts and the socket proxy (docs/docker-proxy.md)',
    `the Engine API answered ${call} with an error (${error.code})`,
  );
}

/**
 * Checks one Docker host the way Jarvis uses it, call by call, through the socket proxy: GET
 * /version (and its API version), GET /containers/json, GET /containers/{id}/json, GET
 * /containers/{id}/logs. The first failure is explained (proxy unreachable, call refused by the
 * allow-list, daemon down behind the proxy, timeout, API too old) with its cause and fix.
 * start/stop/restart are never probed: the doctor does not act.
 */
export async function diagnoseDocker(api: DockerApi, host: string, options: { readonly timeoutMs: number }): Promise<CheckResult> {
  const call = { timeoutMs: options.timeoutMs };
  const version = await api.ping(host, call);
  if (!version.ok) return explain(host, { call: 'GET /version', error: version.error }, options.timeoutMs);
  const { apiVersion, version: engine } = version.value;
  if (apiVersionBelow(apiVersion, MIN_DOCKER_API_VERSION)) {
    return check(
      'Docker',
      'FAIL',
      `${host}: Docker ${engine} speaks Engine API ${apiVersion}; Jarvis needs ${MIN_DOCKER_API_VERSION} or newer`,
      `upgrade Docker Engine on ${host} to 20.10 or newer (Debian: \`apt-get install docker.io\` from a current release, or Docker's docker-ce), then run doctor again`,
      `the Docker Engine API is too old (${apiVersion} < ${MIN_DOCKER_API_VERSION})`,
    );
  }
  const list = await api.listContainers(host, { ...call, all: true });
  if (!list.ok) return explain(host, { call: 'GET /containers/json', error: list.error }, options.timeoutMs);
  const sample = list.value[0];
  if (sample) {
    const inspect = await api.inspectContainer(host, sample.id, call);
    if (!inspect.ok) return explain(host, { call: 'GET /containers/{id}/json', error: inspect.error }, options.timeoutMs);
    const logs = await api.containerLogs(host, sample.id, { ...call, tail: 1, maxBytes: 1024 });
    if (!logs.ok) return explain(host, { call: 'GET /containers/{id}/logs', error: logs.error }, options.timeoutMs);
  }
  return check(
    'Docker',
    'OK',
    `${host}: Docker ${engine} (API ${apiVersion}); version, list${sample ? ', inspect and logs' : ''} allowed, ${list.value.length} containers (start/stop/restart not probed: doctor never acts)`,
  );
}
