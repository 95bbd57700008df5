/**
 * The monitor's slow reads, each over one port and started at once: failed systemd units over
 * SSH, containers (with restart counts) on the Docker hosts, IO wait from rrddata. Each returns
 * what it collects, filled as its `read` ends, so a read that fails half-way still gives what it
 * got. Reachability of SSH and Docker goes to `report` (the dependency-down rule).
 */
import type { ContainerView, IoWaitSample } from '../../core/anomaly/index.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import type { ShellRunner } from '../../core/ports/shell.ts';
import { renderCommand } from '../../core/safety/command-catalogue.ts';

/** A dependency seen up or down at `at` (SSH, Docker). */
export type DependencyReport = (name: string, up: boolean, at: number, reason?: string) => void;

/** A read under way: `collected` fills as `read` ends (`read` may reject; the caller logs it). */
export interface PendingRead<T> {
  readonly collected: T;
  readonly read: Promise<void>;
}

/** Failed units per node (catalogue command `failed_units`); undefined when the command does not render. */
export function readFailedUnits(
  shell: Pick<ShellRunner, 'run'>,
  nodes: readonly string[],
  now: number,
  report: DependencyReport,
): PendingRead<Record<string, readonly string[]>> | undefined {
  const command = renderCommand({ id: 'failed_units', params: {} }, { now });
  if (!command.ok) return undefined;
  const collected: Record<string, readonly string[]> = {};
  const read = Promise.all(
    nodes.map(async (node) => {
      const result = await shell.run(node, command.value);
      if (!result.ok) {
        if (result.error.code === 'SSH_UNREACHABLE' || result.error.code === 'SSH_TIMEOUT') report('ssh', false, now, result.error.message);
        return;
      }
      report('ssh', true, now);
      collected[node] = parseFailedUnits(result.value.stdout);
    }),
  ).then(() => undefined);
  return { collected, read };
}

/** Every container of each host (at most 100 a host), inspected for its state and restart count. */
export function readContainers(
  docker: Pick<DockerApi, 'listContainers' | 'inspectContainer'>,
  hosts: readonly string[],
  now: number,
  report: DependencyReport,
): PendingRead<ContainerView[]> & { readonly unread: { hosts: string[]; keys: string[] } } {
  const collected: ContainerView[] = [];
  const unread = { hosts: [] as string[], keys: [] as string[] };
  const read = Promise.all(
    hosts.map(async (host) => {
      const list = await docker.listContainers(host, { all: true });
      if (!list.ok) {
        if (list.error.code === 'DOCKER_UNREACHABLE' || list.error.code === 'DOCKER_TIMEOUT') report('docker', false, now, list.error.message);
        unread.hosts.push(host);
        return;
      }
      report('docker', true, now);
      const listed = list.value.slice(0, 100);
      const details = await Promise.all(listed.map((container) => docker.inspectContainer(host, container.name)));
      details.forEach((detail, index) => {
        if (detail.ok) collected.push({ host, name: detail.value.name, state: detail.value.state, restartCount: detail.value.restartCount });
        else unread.keys.push(`${host}/${listed[index]!.name}`);
      });
    }),
  ).then(() => undefined);
  return { collected, unread, read };
}

/** IO-wait samples of the last hour (rrddata) of each node. */
export function readIoWait(cluster: Pick<ClusterApi, 'rrdData'>, nodes: readonly string[]): PendingRead<IoWaitSample[]> {
  const collected: IoWaitSample[] = [];
  const read = Promise.all(
    nodes.map(async (node) => {
      const rrd = await cluster.rrdData({ kind: 'node', node }, 'hour');
      if (!rrd.ok) return;
      for (const sample of rrd.value) {
        const value = sample.values['iowait'];
        if (value !== undefined) collected.push({ node, time: sample.time * 1000, iowait: value });
      }
    }),
  ).then(() => undefined);
  return { collected, read };
}

/** `systemctl list-units --failed --plain --no-legend` lines -> unit names (services only, `.service` dropped). */
export function parseFailedUnits(stdout: string): string[] {
  return stdout
    .split('\n')
    .map(
      (line) =>
        line
          .trim()
          .replace(/^[●*]\s*/, '')
          .split(/\s+/)[0] ?? '',
    )
    .filter((unit) => /^[A-Za-z0-9@:._-]+\.service$/.test(unit))
    .map((unit) => unit.replace(/\.service$/, ''))
    .slice(0, 100);
}
