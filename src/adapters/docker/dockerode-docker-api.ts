import type { Agent } from 'node:http';
import Docker from 'dockerode';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { CallOptions } from '../../core/ports/cluster.ts';
import type {
  ContainerAction,
  ContainerActionResult,
  ContainerDetail,
  ContainerLogs,
  ContainerSummary,
  DockerApi,
  LogOptions,
} from '../../core/ports/docker.ts';
import { demuxDockerLogs } from './demux-docker-logs.ts';
import { mapDockerError } from './map-docker-error.ts';
import { mapContainerDetail, mapContainerSummary } from './map-container.ts';
import type { DockerEndpoint } from './parse-docker-endpoint.ts';

export const DOCKER_DEFAULT_TIMEOUT_MS = 10_000;
export const DOCKER_DEFAULT_LOG_BYTES = 64 * 1024;
const MAX_TAIL = 1000;

/** One configured Docker host: its endpoint and, for SSH endpoints, the HTTP agent that tunnels over SSH. */
export interface DockerHostConnection {
  readonly endpoint: DockerEndpoint;
  readonly agent?: Agent | undefined;
  readonly tls?: { readonly ca?: string | Buffer; readonly cert?: string | Buffer; readonly key?: string | Buffer } | undefined;
}

/**
 * DockerApi over dockerode. Every call has a deadline (default 10 s; `stop`/`restart` ask the Engine
 * to kill 2 s before it) and maps failures to DOCKER_* codes. Actions report idempotency:
 * start of a running / stop of a stopped container -> `changed: false` (the Engine's 304).
 * Containers named in `protectedContainers` (Jarvis's own) are refused with DENIED even if asked.
 * Build it with `createDockerApi` (which refuses unix sockets).
 */
export class DockerodeDockerApi implements DockerApi {
  private readonly clients = new Map<string, Docker>();

  constructor(
    hosts: Readonly<Record<string, DockerHostConnection>>,
    private readonly defaults: { timeoutMs?: number | undefined; logMaxBytes?: number | undefined; protectedContainers?: readonly string[] | undefined } = {},
  ) {
    for (const [name, connection] of Object.entries(hosts)) {
      const { endpoint } = connection;
      this.clients.set(
        name,
        new Docker({
          protocol: endpoint.protocol === 'https' ? 'https' : 'http',
          host: endpoint.host,
          port: endpoint.port,
          ...(connection.agent ? { agent: connection.agent } : {}),
          ...(connection.tls ?? {}),
        }),
      );
    }
  }

  hosts(): readonly string[] {
    return [...this.clients.keys()];
  }

  ping(host: string, options: CallOptions = {}): Promise<Result<{ apiVersion: string; version: string }, JarvisError>> {
    return this.call(host, 'version', options, async (docker, abortSignal) => {
      // @types/dockerode omits the options argument of version(); dockerode 5 accepts it.
      const version = await (
        docker as unknown as { version(options: { abortSignal: AbortSignal }): Promise<{ ApiVersion?: string; Version?: string }> }
      ).version({ abortSignal });
      return { apiVersion: String(version.ApiVersion ?? ''), version: String(version.Version ?? '') };
    });
  }

  listContainers(host: string, options: CallOptions & { all?: boolean } = {}): Promise<Result<ContainerSummary[], JarvisError>> {
    return this.call(host, 'list containers', options, async (docker, abortSignal) => {
      const list = await docker.listContainers({ all: options.all ?? true, abortSignal });
      return (Array.isArray(list) ? list : []).map(mapContainerSummary);
    });
  }

  inspectContainer(host: string, container: string, options: CallOptions = {}): Promise<Result<ContainerDetail, JarvisError>> {
    return this.call(host, `inspect ${container}`, options, async (docker, abortSignal) =>
      mapContainerDetail(await docker.getContainer(container).inspect({ abortSignal })),
    );
  }

  containerLogs(host: string, container: string, options: LogOptions = {}): Promise<Result<ContainerLogs, JarvisError>> {
    const tail = Math.max(1, Math.min(MAX_TAIL, Math.floor(options.tail ?? 100)));
    const maxBytes = options.maxBytes ?? this.defaults.logMaxBytes ?? DOCKER_DEFAULT_LOG_BYTES;
    return this.call(host, `logs ${container}`, options, async (docker, abortSignal) => {
      const body: unknown = await docker.getContainer(container).logs({ stdout: true, stderr: true, tail, follow: false, timestamps: false, abortSignal });
      // docker-modem JSON-parses bodies that happen to be valid JSON (a TTY log of `42`): restore the bytes.
      return demuxDockerLogs(Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), maxBytes);
    });
  }

  async doContainerAction(
    host: string,
    container: string,
    action: ContainerAction,
    options: CallOptions = {},
  ): Promise<Result<ContainerActionResult, JarvisError>> {
    const timeoutMs = options.timeoutMs ?? this.defaults.timeoutMs ?? DOCKER_DEFAULT_TIMEOUT_MS;
    const before = await this.inspectContainer(host, container, options);
    if (!before.ok) return before;
    // A second wall behind the kernel: Jarvis never acts on the containers it runs in.
    if ((this.defaults.protectedContainers ?? []).some((name) => name === before.value.name || name === before.value.id)) {
      return err(
        jarvisError('DENIED', `container '${before.value.name}' is protected: Jarvis does not ${action} it`, {
          hint: 'do it by hand on the Docker host if you really mean it',
        }),
      );
    }
    const graceSeconds = Math.max(1, Math.floor(timeoutMs / 1000) - 2);
    const acted = await this.call(host, `${action} ${container}`, { ...options, timeoutMs }, async (docker, abortSignal) => {
      const target = docker.getContainer(before.value.id);
      try {
        if (action === 'start') await target.start({ abortSignal });
        else if (action === 'stop') await target.stop({ t: graceSeconds, abortSignal });
        else await target.restart({ t: graceSeconds, abortSignal });
        return true;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 304) return false;
        throw error;
      }
    });
    if (!acted.ok) return acted;
    const after = await this.inspectContainer(host, before.value.id, options);
    if (!after.ok) return after;
    return ok({
      host,
      container: before.value.name,
      action,
      changed: acted.value,
      before: before.value.state,
      after: after.value.state,
      startedAtBefore: before.value.startedAt,
      startedAtAfter: after.value.startedAt,
    });
  }

  private async call<T>(
    host: string,
    what: string,
    options: CallOptions,
    run: (docker: Docker, abortSignal: AbortSignal) => Promise<T>,
  ): Promise<Result<T, JarvisError>> {
    const docker = this.clients.get(host);
    if (!docker)
      return err(
        jarvisError('INVALID_INPUT', `unknown Docker host '${host.slice(0, 64)}'`, {
          hint: 'add it under docker.hosts in the config',
          details: { known: this.hosts() },
        }),
      );
    const timeoutMs = options.timeoutMs ?? this.defaults.timeoutMs ?? DOCKER_DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // The race guards against a transport that ignores the abort signal (e.g. a stalled SSH tunnel).
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        reject(new Error('deadline'));
      }, timeoutMs);
    });
    try {
      if (options.signal?.aborted) throw new Error('aborted by the caller');
      return ok(await Promise.race([run(docker, controller.signal), deadline]));
    } catch (error) {
      return err(mapDockerError(error, `${host} ${what}`, timedOut, timeoutMs));
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}
