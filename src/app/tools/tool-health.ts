/**
 * Dependency health for GET /health as the tools see it: PVE (from the poller's reporter), SSH and
 * Docker (cached probes through the ports, refreshed in the background at most every `ttlMs`, so
 * the route stays quick and the watchdog never waits on a hung node), and a `tools` entry naming
 * the tools a down dependency makes unavailable. A degraded dependency degrades only the tools
 * that need it (each definition's `needs`). Messages carry codes and configured names only, never
 * cluster data. Never throws.
 */
import type { Clock } from '../../core/ports/clock.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import { probeDocker } from '../../core/ports/docker.ts';
import { combineHealth, probeSsh, type DependencyHealth, type ShellRunner } from '../../core/ports/shell.ts';
import type { AnyToolDefinition, ToolDependency } from './define-tool.ts';

export type HealthStatus = 'ok' | 'degraded' | 'down' | 'unknown';
export type HealthEntries = Record<string, { status: HealthStatus; message?: string }>;

export interface ToolHealthDeps {
  /** The PVE entry (and any other) from the poller's reporter. */
  readonly base: { dependencies(): Promise<HealthEntries> };
  readonly tools: readonly AnyToolDefinition[];
  readonly shell?: ShellRunner | undefined;
  /** Nodes to probe over SSH (configured names). */
  readonly sshNodes?: readonly string[] | undefined;
  readonly docker?: DockerApi | undefined;
  readonly clock: Clock;
  /** Minimum age of a probe result before it is refreshed (default 30 s). */
  readonly ttlMs?: number | undefined;
  readonly probeTimeoutMs?: number | undefined;
  /** Called with each probe's duration (one node or host), for `jarvis_dependency_latency_seconds`. */
  readonly onProbe?: ((dependency: 'ssh' | 'docker', seconds: number) => void) | undefined;
}

export interface ToolHealth {
  dependencies(): Promise<HealthEntries>;
  /** Runs the SSH/Docker probes now and waits for them (tests, start-up). */
  refresh(): Promise<void>;
}

const DEPENDENCIES: readonly ToolDependency[] = ['pve', 'ssh', 'docker'];

/**
 * The `tools` entry: tools needing a down dependency are unavailable, tools needing a degraded one
 * (e.g. some nodes or every command hanging) are limited; the others are unaffected.
 */
export function toolsEntry(tools: readonly AnyToolDefinition[], entries: HealthEntries): { status: HealthStatus; message: string } {
  const parts: string[] = [];
  for (const [state, label] of [
    ['down', 'unavailable'],
    ['degraded', 'limited'],
  ] as const) {
    const deps = DEPENDENCIES.filter((name) => entries[name]?.status === state);
    const names = tools.filter((tool) => tool.needs.some((need) => deps.includes(need))).map((tool) => tool.name);
    if (names.length > 0) parts.push(`${label} while ${deps.join(', ')} ${deps.length > 1 ? 'are' : 'is'} ${state}: ${names.join(', ')}`);
  }
  return parts.length === 0 ? { status: 'ok', message: `${tools.length} tools available` } : { status: 'degraded', message: parts.join('; ') };
}

export function createToolHealth(deps: ToolHealthDeps): ToolHealth {
  const ttlMs = deps.ttlMs ?? 30_000;
  const timeoutMs = deps.probeTimeoutMs ?? 5_000;
  let cached: { at: number; ssh?: DependencyHealth; docker?: DependencyHealth } | undefined;
  let inFlight: Promise<void> | undefined;

  /** The probe's own deadline: an adapter that ignores its timeout cannot hold the answer. */
  function bounded(dependency: 'ssh' | 'docker', label: string, work: Promise<DependencyHealth>): Promise<DependencyHealth> {
    const started = deps.clock.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<DependencyHealth>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'down', detail: `${label}: no answer within ${timeoutMs} ms` }), timeoutMs + 500);
      timer.unref?.();
    });
    return Promise.race([work, deadline]).finally(() => {
      clearTimeout(timer);
      deps.onProbe?.(dependency, Math.max(0, deps.clock.now() - started) / 1000);
    });
  }

  async function probe(): Promise<void> {
    const now = deps.clock.now();
    const [ssh, docker] = await Promise.all([
      deps.shell && (deps.sshNodes?.length ?? 0) > 0
        ? Promise.all(deps.sshNodes!.map((node) => bounded('ssh', `ssh ${node}`, probeSsh(deps.shell!, node, { now, timeoutMs })))).then((parts) =>
            combineHealth('ssh', parts),
          )
        : undefined,
      deps.docker && deps.docker.hosts().length > 0
        ? Promise.all(deps.docker.hosts().map((host) => bounded('docker', `docker ${host}`, probeDocker(deps.docker!, host, { timeoutMs })))).then((parts) =>
            combineHealth('docker', parts),
          )
        : undefined,
    ]);
    cached = { at: deps.clock.now(), ...(ssh ? { ssh } : {}), ...(docker ? { docker } : {}) };
  }

  function refresh(): Promise<void> {
    inFlight ??= probe()
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  /** A result older than the TTL (no /health call for a while) says how old it is: never stale-as-current. */
  function entry(name: ToolDependency, configured: boolean, health: DependencyHealth | undefined, ageMs: number): { status: HealthStatus; message?: string } {
    if (!configured) return { status: 'unknown', message: `${name} not configured` };
    if (!health) return { status: 'unknown', message: 'first probe running' };
    const age = ageMs >= ttlMs ? `checked ${Math.round(ageMs / 1000)} s ago; re-checking` : undefined;
    if (health.status === 'ok') return age ? { status: 'ok', message: age } : { status: 'ok' };
    return { status: health.status, message: `${health.detail.slice(0, 300)}${age ? ` (${age})` : ''}` };
  }

  return {
    refresh,
    async dependencies() {
      const ageMs = cached ? deps.clock.now() - cached.at : 0;
      if (!cached || ageMs >= ttlMs) void refresh();
      let base: HealthEntries;
      try {
        base = await deps.base.dependencies();
      } catch {
        base = { pve: { status: 'unknown', message: 'health reporter failed' } };
      }
      const entries: HealthEntries = {
        ...base,
        ssh: entry('ssh', deps.shell !== undefined, cached?.ssh, ageMs),
        docker: entry('docker', deps.docker !== undefined, cached?.docker, ageMs),
      };
      entries.tools = toolsEntry(deps.tools, entries);
      return entries;
    },
  };
}
