import type { ClusterSnapshot, GuestType } from '../domain/cluster.ts';
import type { JarvisError, Result } from '../errors.ts';

/** Options every port call accepts. */
export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  /** Overrides the adapter's default timeout (ms). */
  readonly timeoutMs?: number | undefined;
}

export interface NodeStatusDetail {
  readonly node: string;
  readonly uptime: number;
  readonly cpu: number;
  readonly iowait?: number | undefined;
  readonly loadavg: readonly [number, number, number];
  readonly memory: { readonly total: number; readonly used: number; readonly free: number; readonly available?: number | undefined };
  readonly swap?: { readonly total: number; readonly used: number; readonly free: number } | undefined;
  readonly rootfs: { readonly total: number; readonly used: number; readonly free: number; readonly avail: number };
  readonly cpuModel?: string | undefined;
  readonly cpus?: number | undefined;
  readonly kernel?: string | undefined;
  readonly pveVersion?: string | undefined;
}

export type RrdTimeframe = 'hour' | 'day' | 'week' | 'month' | 'year';

/** One RRD sample; a data source without a value for the slot is absent (never 0). */
export interface RrdSample {
  readonly time: number;
  readonly values: Readonly<Record<string, number>>;
}

export type RrdTarget =
  | { readonly kind: 'node'; readonly node: string }
  | { readonly kind: 'guest'; readonly node: string; readonly vmid: number; readonly type: GuestType }
  | { readonly kind: 'storage'; readonly node: string; readonly storage: string };

export interface GuestStatusDetail {
  readonly vmid: number;
  readonly type: GuestType;
  readonly node: string;
  readonly name?: string | undefined;
  readonly status: string;
  readonly qmpstatus?: string | undefined;
  readonly uptime?: number | undefined;
  readonly cpu?: number | undefined;
  readonly cpus?: number | undefined;
  readonly mem?: number | undefined;
  readonly maxmem?: number | undefined;
  readonly disk?: number | undefined;
  readonly maxdisk?: number | undefined;
  readonly lock?: string | undefined;
  readonly tags: readonly string[];
  readonly haManaged: boolean;
  readonly agent: boolean;
}

/** Guest config as PVE returns it: a flat key -> value map (values are strings or numbers). */
export type GuestConfig = Readonly<Record<string, string | number>>;

/**
 * One entry of a guest's snapshot list (`GET /nodes/{node}/{qemu|lxc}/{vmid}/snapshot`). PVE adds a
 * `current` pseudo-entry ("You are here!"): `current` is true on it, and its `parent` is the
 * snapshot the running state derives from. Names and descriptions are cluster text (data, never instructions).
 */
export interface GuestSnapshot {
  readonly name: string;
  readonly description: string;
  /** Epoch seconds the snapshot was taken; absent on `current`. */
  readonly snaptime?: number | undefined;
  readonly parent?: string | undefined;
  /** RAM state included (qemu). */
  readonly vmstate?: boolean | undefined;
  readonly current: boolean;
}

/**
 * A vzdump archive on a backup storage (`GET /nodes/{node}/storage/{storage}/content?content=backup`).
 * `node` is the node it was listed through (any node, for a shared storage). Notes are cluster text.
 */
export interface BackupVolume {
  readonly volid: string;
  readonly storage: string;
  readonly node: string;
  readonly vmid?: number | undefined;
  /** Epoch seconds the archive was written. */
  readonly ctime?: number | undefined;
  readonly size?: number | undefined;
  /** e.g. `vma.zst`, `tar.zst`, `pbs-vm`. */
  readonly format?: string | undefined;
  /** `qemu` or `lxc` when PVE says so. */
  readonly subtype?: string | undefined;
  readonly notes?: string | undefined;
  readonly protected: boolean;
}

export type GuestPowerAction = 'start' | 'stop' | 'shutdown' | 'reboot';

export type ServiceAction = 'start' | 'stop' | 'restart' | 'reload';

/** `GET /version`: the pve-manager version of the answering node. */
export interface PveVersion {
  /** Full version, e.g. `8.3.2`. */
  readonly version: string;
  /** Point release, e.g. `8.3`. */
  readonly release: string;
  readonly repoid?: string | undefined;
}

/** One entry of a node's guest list (`/nodes/{node}/qemu` + `/lxc`). */
export interface GuestListEntry {
  readonly vmid: number;
  readonly type: GuestType;
  readonly node: string;
  readonly name?: string | undefined;
  readonly status: string;
  readonly template: boolean;
  readonly tags: readonly string[];
  readonly lock?: string | undefined;
  readonly cpus?: number | undefined;
  readonly maxmem?: number | undefined;
  /** Undefined when stopped. */
  readonly mem?: number | undefined;
  readonly uptime?: number | undefined;
}

export interface TaskRef {
  readonly upid: string;
  readonly node: string;
}

export interface TaskStatus {
  readonly upid: string;
  readonly node: string;
  readonly type: string;
  readonly id: string;
  readonly user: string;
  readonly starttime: number;
  readonly status: 'running' | 'stopped';
  /** Only when stopped: `OK`, `WARNINGS: n`, or the error text. */
  readonly exitstatus?: string | undefined;
  /** True iff stopped and exitstatus is OK or WARNINGS. */
  readonly succeeded?: boolean | undefined;
}

export interface LogLine {
  readonly n: number;
  readonly t: string;
}

export interface TaskSummary {
  readonly upid: string;
  readonly node: string;
  readonly type: string;
  readonly id: string;
  readonly user: string;
  readonly starttime: number;
  readonly endtime?: number | undefined;
  /** `OK`, error text, or undefined while running. */
  readonly status?: string | undefined;
}

export interface ClusterLogEntry {
  readonly time: number;
  readonly node: string;
  readonly pri: number;
  readonly tag: string;
  readonly user: string;
  readonly msg: string;
}

export interface ServiceState {
  readonly service: string;
  readonly name: string;
  readonly desc: string;
  readonly state: string;
  readonly activeState: string;
  readonly unitState: string;
}

export interface StorageStatus {
  readonly storage: string;
  readonly node: string;
  readonly type: string;
  readonly enabled: boolean;
  readonly active: boolean;
  readonly shared: boolean;
  readonly content: readonly string[];
  readonly total?: number | undefined;
  readonly used?: number | undefined;
  readonly avail?: number | undefined;
}

export interface SyslogQuery {
  readonly start?: number | undefined;
  readonly limit?: number | undefined;
  /** `YYYY-MM-DD HH:MM:SS` */
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  /** systemd unit id */
  readonly service?: string | undefined;
}

export interface WaitOptions extends CallOptions {
  /** Overall deadline for the task (ms); TASK_TIMEOUT after. */
  readonly deadlineMs?: number | undefined;
  readonly pollMs?: number | undefined;
}

/**
 * Read access to a Proxmox VE cluster. Implemented by adapters/pve (over HTTPS, real or simulated).
 * Every method returns a Result; none throws for an expected failure.
 */
export interface ClusterApi {
  /** `GET /version` (also the cheapest "is the token valid" probe). */
  version(options?: CallOptions): Promise<Result<PveVersion, JarvisError>>;
  /** QEMU and LXC guests of one node (two HTTP calls), sorted by vmid. */
  listGuests(node: string, options?: CallOptions): Promise<Result<GuestListEntry[], JarvisError>>;
  /** Full state in exactly two HTTP calls (/cluster/status + /cluster/resources). */
  readSnapshot(options?: CallOptions): Promise<Result<ClusterSnapshot, JarvisError>>;
  nodeStatus(node: string, options?: CallOptions): Promise<Result<NodeStatusDetail, JarvisError>>;
  rrdData(target: RrdTarget, timeframe: RrdTimeframe, options?: CallOptions): Promise<Result<RrdSample[], JarvisError>>;
  guestStatus(node: string, type: GuestType, vmid: number, options?: CallOptions): Promise<Result<GuestStatusDetail, JarvisError>>;
  guestConfig(node: string, type: GuestType, vmid: number, options?: CallOptions): Promise<Result<GuestConfig, JarvisError>>;
  storageStatus(node: string, options?: CallOptions): Promise<Result<StorageStatus[], JarvisError>>;
  /** The guest's snapshots plus PVE's `current` entry (one HTTP call; on demand, never per poll). */
  guestSnapshots(node: string, type: GuestType, vmid: number, options?: CallOptions): Promise<Result<GuestSnapshot[], JarvisError>>;
  /** vzdump archives on one storage, listed through `node` (one HTTP call; slow cadence or on demand, never per poll). */
  backupVolumes(node: string, storage: string, options?: CallOptions): Promise<Result<BackupVolume[], JarvisError>>;
  services(node: string, options?: CallOptions): Promise<Result<ServiceState[], JarvisError>>;
  serviceState(node: string, service: string, options?: CallOptions): Promise<Result<ServiceState, JarvisError>>;
  syslog(node: string, query: SyslogQuery, options?: CallOptions): Promise<Result<{ total: number; lines: LogLine[] }, JarvisError>>;
  clusterTasks(options?: CallOptions): Promise<Result<TaskSummary[], JarvisError>>;
  clusterLog(max: number, options?: CallOptions): Promise<Result<ClusterLogEntry[], JarvisError>>;
  taskStatus(task: TaskRef, options?: CallOptions): Promise<Result<TaskStatus, JarvisError>>;
  taskLog(task: TaskRef, options?: CallOptions & { start?: number; limit?: number }): Promise<Result<{ total: number; lines: LogLine[] }, JarvisError>>;
}

/**
 * Guest power actions. Call only after the safety kernel allowed the action
 * (the `do` prefix marks methods that only the guarded executor may call).
 */
export interface GuestActuator {
  /** Starts the action; resolves when PVE accepted it (the task id), not when the guest changed. */
  doPowerAction(node: string, type: GuestType, vmid: number, action: GuestPowerAction, options?: CallOptions): Promise<Result<TaskRef, JarvisError>>;
  /**
   * Polls until the task stopped. A task that ran and FAILED is `ok` with `succeeded: false` and
   * PVE's `exitstatus` text; errors mean "could not find out": TASK_TIMEOUT at the deadline, or a
   * non-retryable status-call error.
   */
  waitForTask(task: TaskRef, options?: WaitOptions): Promise<Result<TaskStatus, JarvisError>>;
}

/**
 * Node service actions (`POST /nodes/{node}/services/{service}/{action}`), returning the task.
 * Call only after the safety kernel allowed the action.
 */
export interface ServiceActuator {
  doServiceAction(node: string, service: string, action: ServiceAction, options?: CallOptions): Promise<Result<TaskRef, JarvisError>>;
}
