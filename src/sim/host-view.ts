/**
 * What the simulated SSH servers and the simulated Docker Engine endpoint read from (and do to)
 * the simulated world. Implemented by the simulator's world model; consumed by src/sim/ssh and
 * src/sim/docker so that `df`, `systemctl`, `journalctl` and `docker ps` agree with the PVE API.
 */
export interface SimDisk {
  readonly filesystem: string;
  readonly mount: string;
  readonly sizeBytes: number;
  readonly usedBytes: number;
}

export interface SimMemory {
  readonly total: number;
  readonly used: number;
  readonly free: number;
  readonly available: number;
  readonly swapTotal: number;
  readonly swapUsed: number;
}

export interface SimService {
  /** Unit name without `.service`, e.g. `pveproxy`. */
  readonly unit: string;
  readonly description: string;
  /** systemd ActiveState: active, inactive, failed, ... */
  readonly activeState: string;
  /** systemd SubState: running, dead, failed, exited, ... */
  readonly subState: string;
  /** UnitFileState: enabled, disabled, static, ... */
  readonly unitState: string;
  readonly mainPid?: number | undefined;
  /** Epoch seconds of the last state change. */
  readonly since: number;
}

export interface SimJournalEntry {
  /** Epoch seconds. */
  readonly time: number;
  readonly unit: string;
  /** Syslog identifier, e.g. `pvedaemon`. */
  readonly identifier: string;
  readonly pid?: number | undefined;
  /** 0..7 syslog priority. */
  readonly priority: number;
  /** The message, verbatim (may hold arbitrary, even hostile, text in injection scenarios). */
  readonly message: string;
}

export interface SimInterface {
  readonly name: string;
  readonly state: 'UP' | 'DOWN' | 'UNKNOWN';
  readonly mac?: string | undefined;
  /** CIDR strings, e.g. `192.168.1.61/24`. */
  readonly addresses: readonly string[];
}

export interface SimContainer {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** Docker state: running, exited, restarting, paused, created, dead. */
  readonly state: string;
  /** Human status, e.g. `Up 3 hours`, `Exited (1) 5 minutes ago`. */
  readonly status: string;
  /** Epoch seconds. */
  readonly created: number;
  readonly startedAt?: number | undefined;
  readonly restartCount: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface SimHostView {
  /** Cluster node names. */
  nodeNames(): string[];
  /** False when the node is offline in the simulation (its SSH server refuses connections). */
  isNodeReachable(node: string): boolean;
  /** Simulated clock, epoch milliseconds. */
  now(): number;
  uptimeSeconds(node: string): number;
  loadAverage(node: string): [number, number, number];
  memory(node: string): SimMemory;
  disks(node: string): SimDisk[];
  services(node: string): SimService[];
  /** Newest last; filtered by unit and time when given. */
  journal(node: string, filter: { unit?: string | undefined; sinceEpoch?: number | undefined; limit?: number | undefined }): SimJournalEntry[];
  interfaces(node: string): SimInterface[];
  /** Docker hosts, e.g. `docker@103`. */
  dockerHosts(): string[];
  /** False when the Docker daemon of that host is down (fault injection). */
  isDockerUp(host: string): boolean;
  containers(host: string): SimContainer[];
  /** Applies a container action; returns an error message, or undefined on success. */
  containerAction(host: string, nameOrId: string, action: 'start' | 'stop' | 'restart'): string | undefined;
  /** Container log lines (newest last). */
  containerLogs(host: string, nameOrId: string, tail: number): string[];
}
