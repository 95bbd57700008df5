import type { JarvisError, Result } from '../errors.ts';
import type { CallOptions } from './cluster.ts';
import type { DependencyHealth } from './shell.ts';

/** Docker container state as the Engine reports it: running, exited, restarting, paused, created, dead, removing. */
export type ContainerState = string;

export interface ContainerSummary {
  readonly id: string;
  /** Without the leading `/`. */
  readonly name: string;
  readonly image: string;
  readonly state: ContainerState;
  /** Human status, e.g. `Up 3 hours`. */
  readonly status: string;
  /** Epoch seconds. */
  readonly created: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ContainerDetail extends ContainerSummary {
  readonly running: boolean;
  readonly restartCount: number;
  /** ISO timestamps as the Engine gives them (`0001-01-01T00:00:00Z` when never). */
  readonly startedAt?: string | undefined;
  readonly finishedAt?: string | undefined;
  readonly exitCode?: number | undefined;
  /** Health check status when the container defines one: starting, healthy, unhealthy. */
  readonly health?: string | undefined;
}

export interface ContainerLogs {
  readonly lines: readonly { readonly stream: 'stdout' | 'stderr'; readonly text: string }[];
  /** True when the byte cap cut the output (the newest lines are kept, older ones dropped). */
  readonly truncated: boolean;
}

export type ContainerAction = 'start' | 'stop' | 'restart';

/**
 * The outcome of a container action, idempotency visible: `changed: false` means nothing had to be
 * done (start of a running container, stop of a stopped one). `restart` always changes (new start time).
 */
export interface ContainerActionResult {
  readonly host: string;
  readonly container: string;
  readonly action: ContainerAction;
  readonly changed: boolean;
  readonly before: ContainerState;
  readonly after: ContainerState;
  readonly startedAtBefore?: string | undefined;
  readonly startedAtAfter?: string | undefined;
}

export interface LogOptions extends CallOptions {
  /** Lines from the end (default 100, max 1000). */
  readonly tail?: number | undefined;
  /** Byte cap on the demultiplexed text (default 64 KiB). */
  readonly maxBytes?: number | undefined;
}

/**
 * Docker Engine API of the configured Docker hosts (e.g. `docker@103`), through a socket proxy
 * over TCP or over SSH, never a mounted docker.sock (implemented by adapters/docker).
 * Failures: DOCKER_UNREACHABLE (daemon/proxy down), DOCKER_TIMEOUT, DOCKER_NOT_FOUND (container),
 * DOCKER_ERROR (anything else, incl. 403 from the proxy), INVALID_INPUT (unknown host).
 */
export interface DockerApi {
  /** Docker host names this adapter knows. */
  hosts(): readonly string[];
  ping(host: string, options?: CallOptions): Promise<Result<{ apiVersion: string; version: string }, JarvisError>>;
  listContainers(host: string, options?: CallOptions & { all?: boolean }): Promise<Result<ContainerSummary[], JarvisError>>;
  inspectContainer(host: string, container: string, options?: CallOptions): Promise<Result<ContainerDetail, JarvisError>>;
  containerLogs(host: string, container: string, options?: LogOptions): Promise<Result<ContainerLogs, JarvisError>>;
  /** Start/stop/restart. Call only after the safety kernel allowed the action (jarvis itself is protected there). */
  doContainerAction(host: string, container: string, action: ContainerAction, options?: CallOptions): Promise<Result<ContainerActionResult, JarvisError>>;
}

/** Probes one Docker host: ok when /_ping and a container list answer, degraded when only ping does, down otherwise. */
export async function probeDocker(api: DockerApi, host: string, options: { timeoutMs?: number } = {}): Promise<DependencyHealth> {
  const timeoutMs = options.timeoutMs ?? 5000;
  try {
    const ping = await api.ping(host, { timeoutMs });
    if (!ping.ok) return { status: 'down', detail: `docker ${host}: ${ping.error.code}` };
    const list = await api.listContainers(host, { timeoutMs });
    if (!list.ok) return { status: 'degraded', detail: `docker ${host}: ping ok, list ${list.error.code}` };
    return { status: 'ok', detail: `docker ${host}: ok (API ${ping.value.apiVersion})` };
  } catch {
    return { status: 'down', detail: `docker ${host}: INTERNAL` };
  }
}
