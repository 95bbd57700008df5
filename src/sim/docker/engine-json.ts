import type { SimContainer } from '../host-view.ts';

/** Engine API version the simulated daemons speak (Docker 27.x). */
export const SIM_DOCKER_API_VERSION = '1.47';
export const SIM_DOCKER_VERSION = '27.3.1';

const NEVER = '0001-01-01T00:00:00Z';

const iso = (epochSeconds: number | undefined): string => (epochSeconds === undefined ? NEVER : new Date(epochSeconds * 1000).toISOString());

/** GET /version body. */
export function versionJson(): Record<string, unknown> {
  return {
    Platform: { Name: 'Docker Engine - Community' },
    Version: SIM_DOCKER_VERSION,
    ApiVersion: SIM_DOCKER_API_VERSION,
    MinAPIVersion: '1.24',
    GitCommit: '41ca978',
    GoVersion: 'go1.22.7',
    Os: 'linux',
    Arch: 'amd64',
    KernelVersion: '6.8.12-4-pve',
    BuildTime: '2024-10-28T09:39:55.000000000+00:00',
  };
}

/** One element of GET /containers/json. */
export function summaryJson(container: SimContainer): Record<string, unknown> {
  return {
    Id: container.id,
    Names: [`/${container.name}`],
    Image: container.image,
    ImageID: `sha256:${container.id.split('').reverse().join('')}`,
    Command: '',
    Created: container.created,
    Ports: [],
    Labels: container.labels,
    State: container.state,
    Status: container.status,
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
}

/** GET /containers/{id}/json (the fields Jarvis reads, plus enough to look real). */
export function inspectJson(container: SimContainer): Record<string, unknown> {
  const running = container.state === 'running';
  const exit = /^Exited \((\d+)\)/.exec(container.status);
  return {
    Id: container.id,
    Created: iso(container.created),
    Path: '/entrypoint.sh',
    Args: [],
    State: {
      Status: container.state,
      Running: running,
      Paused: container.state === 'paused',
      Restarting: container.state === 'restarting',
      OOMKilled: false,
      Dead: container.state === 'dead',
      Pid: running ? 10_000 + (container.created % 50_000) : 0,
      ExitCode: exit ? Number(exit[1]) : 0,
      Error: '',
      StartedAt: iso(container.startedAt),
      FinishedAt: running ? NEVER : iso(container.startedAt !== undefined ? container.startedAt + 60 : undefined),
    },
    Image: `sha256:${container.id.split('').reverse().join('')}`,
    Name: `/${container.name}`,
    RestartCount: container.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    HostConfig: { RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 }, NetworkMode: 'bridge', Privileged: false },
    Config: { Hostname: container.id.slice(0, 12), Image: container.image, Labels: container.labels, Tty: false, Env: [] },
    Mounts: [],
    NetworkSettings: { Networks: {} },
  };
}

/**
 * Frames log lines as the Engine's multiplexed stream (non-TTY containers): per frame an 8-byte
 * header [stream, 0, 0, 0, size (uint32 BE)] followed by the payload.
 * @see https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerAttach
 */
export function frameLogs(lines: readonly string[], stream: 1 | 2 = 1): Buffer {
  return Buffer.concat(
    lines.map((line) => {
      const payload = Buffer.from(`${line}\n`, 'utf8');
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    }),
  );
}
