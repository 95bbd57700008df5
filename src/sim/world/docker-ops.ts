/**
 * Docker host behaviour on the management VM: container views (`Up 3 hours`,
 * `Exited (1) 5 minutes ago`), start/stop/restart, simulated crashes and container logs.
 */
import type { SimContainer } from '../host-view.ts';
import type { SimWorld } from './sim-world.ts';
import type { ContainerState } from './types.ts';

export const DOCKER_DOWN_MESSAGE = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
const LOG_LIMIT = 1_000;

/** `3 hours`, `5 minutes`, `About a minute`, as docker prints durations. */
export function humanDuration(seconds: number): string {
  if (seconds < 1) return 'Less than a second';
  if (seconds < 60) return `${seconds} seconds`;
  if (seconds < 120) return 'About a minute';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} minutes`;
  if (seconds < 7200) return 'About an hour';
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)} hours`;
  return `${Math.floor(seconds / 86_400)} days`;
}

export function containerView(container: ContainerState, nowSec: number): SimContainer {
  const status =
    container.state === 'running'
      ? `Up ${humanDuration(nowSec - (container.startedAt ?? nowSec))}`
      : `Exited (${container.exitCode}) ${humanDuration(nowSec - (container.finishedAt ?? nowSec))} ago`;
  return {
    id: container.id,
    name: container.name,
    image: container.image,
    state: container.state,
    status,
    created: container.created,
    startedAt: container.startedAt,
    restartCount: container.restartCount,
    labels: container.labels,
  };
}

function find(world: SimWorld, host: string, nameOrId: string): ContainerState | undefined {
  const wanted = nameOrId.replace(/^\//, '');
  return world.dockerHost(host)?.containers.find((c) => c.name === wanted || c.id === wanted || (wanted.length >= 4 && c.id.startsWith(wanted)));
}

export function appendContainerLog(container: ContainerState, line: string): void {
  container.log.push(line);
  if (container.log.length > LOG_LIMIT) container.log.splice(0, container.log.length - LOG_LIMIT);
}

/** Applies an action; returns an error message (Docker's wording) or undefined on success. */
export function containerAction(
  world: SimWorld,
  host: string,
  nameOrId: string,
  action: 'start' | 'stop' | 'restart' | 'crash',
  exitCode = 1,
): string | undefined {
  if (!world.dockerHost(host)) return `no such docker host '${host}'`;
  if (!world.isDockerUp(host)) return DOCKER_DOWN_MESSAGE;
  const container = find(world, host, nameOrId);
  if (!container) return `No such container: ${nameOrId}`;
  const now = world.nowSeconds();
  const start = (): void => {
    container.state = 'running';
    container.startedAt = now;
    container.exitCode = 0;
    appendContainerLog(container, `${container.name} started`);
  };
  const stop = (code: number): void => {
    container.state = 'exited';
    container.finishedAt = now;
    container.exitCode = code;
  };
  if (action === 'start' && container.state !== 'running') start();
  if (action === 'stop' && container.state === 'running') {
    appendContainerLog(container, 'received SIGTERM, shutting down');
    stop(0);
  }
  if (action === 'restart') {
    if (container.state === 'running') stop(0);
    container.restartCount++;
    start();
  }
  if (action === 'crash') {
    if (container.state !== 'running') return `container ${container.name} is not running`;
    appendContainerLog(container, `fatal error: unexpected signal during runtime execution (exit ${exitCode})`);
    stop(exitCode);
  }
  return undefined;
}

/** One turn of a restart loop: the container dies and Docker's restart policy brings it back (`restarting`). */
export function restartLoopStep(world: SimWorld, host: string, name: string): void {
  const container = world.dockerHost(host)?.containers.find((entry) => entry.name === name);
  if (!container || !world.isDockerUp(host)) return;
  appendContainerLog(container, 'panic: cannot connect to database (exit 1)');
  container.restartCount++;
  container.state = 'restarting';
  container.exitCode = 1;
  container.startedAt = world.nowSeconds();
}

/** Last `tail` log lines (newest last); empty when unknown. */
export function containerLogs(world: SimWorld, host: string, nameOrId: string, tail: number): string[] {
  const container = find(world, host, nameOrId);
  if (!container) return [];
  return tail > 0 ? container.log.slice(-tail) : [...container.log];
}
