/**
 * Mutable state of the simulated cluster. Only the world (sim-world.ts and its helpers) mutates
 * it; the HTTP handlers and the host view read it through SimWorld.
 */
import type { SimSnapshot } from './guest-history.ts';
import type { SimContainer, SimInterface, SimJournalEntry } from '../host-view.ts';

export interface NodeState {
  readonly name: string;
  readonly nodeid: number;
  readonly ip: string;
  readonly maxcpu: number;
  readonly sockets: number;
  readonly cpuModel: string;
  readonly mhz: string;
  readonly memTotal: number;
  readonly swapTotal: number;
  readonly rootTotal: number;
  /** Epoch seconds of the last boot. */
  bootTime: number;
  /** Node's own load, 0..1, before guests are added. */
  baseCpu: number;
  ownCpu: number;
  cpu: number;
  iowait: number;
  /** Host's own memory use (bytes) before guests are added. */
  readonly baseMem: number;
  memUsed: number;
  swapUsed: number;
  rootUsed: number;
  netin: number;
  netout: number;
  load: [number, number, number];
  readonly services: ServiceState[];
  readonly journal: SimJournalEntry[];
  readonly interfaces: SimInterface[];
  /** Extra block devices besides the root fs (e.g. /dev/nvme0n1 for local-lvm). */
  readonly diskModel: string;
  nextPid: number;
  nextUid: number;
}

export interface ServiceState {
  readonly unit: string;
  readonly description: string;
  /** Listed by PVE's /nodes/{n}/services (a unit of PVE's fixed enum). */
  readonly pve: boolean;
  activeState: string;
  subState: string;
  unitState: string;
  mainPid?: number | undefined;
  since: number;
}

export type GuestKind = 'qemu' | 'lxc';

export interface GuestState {
  readonly vmid: number;
  readonly type: GuestKind;
  node: string;
  name: string;
  status: 'running' | 'stopped';
  /** QEMU paused by `status/suspend` (process alive, qmpstatus `paused`). */
  paused?: boolean | undefined;
  template: boolean;
  lock?: string | undefined;
  tags?: string | undefined;
  description?: string | undefined;
  readonly cores: number;
  readonly maxmem: number;
  /** Balloon minimum in bytes (qemu); undefined when ballooning is off. */
  readonly balloon?: number | undefined;
  readonly maxdisk: number;
  /** Guest agent configured (qemu). */
  readonly agent: boolean;
  readonly protection: boolean;
  readonly onboot: boolean;
  readonly ostype: string;
  readonly mac: string;
  readonly uuid: string;
  /** Epoch seconds the guest was last started (meaningful while running). */
  startedAt: number;
  pid?: number | undefined;
  baseCpu: number;
  cpu: number;
  /**
   * Steady working set in bytes (25..70 % of maxmem): running memory reverts toward it each
   * metrics step (metrics.ts), so a calm guest stays in a band around it.
   */
  readonly baseMem: number;
  mem: number;
  /** LXC used root fs bytes. */
  disk: number;
  netin: number;
  netout: number;
  diskread: number;
  diskwrite: number;
  /** Snapshots, oldest first (see guest-history.ts); absent = none. */
  snapshots?: SimSnapshot[] | undefined;
  /** The snapshot the current state derives from (config `parent`). */
  snapParent?: string | undefined;
}

export interface StorageState {
  readonly storage: string;
  /** Node name, or undefined for a shared storage (same figures on every node). */
  readonly node?: string | undefined;
  readonly type: string;
  readonly content: string;
  readonly shared: boolean;
  total: number;
  used: number;
  /** False while a storage-offline fault makes it unreachable (set on the copies storagesOf returns). */
  active?: boolean | undefined;
}

export interface TaskLine {
  readonly text: string;
}

export interface TaskState {
  readonly upid: string;
  /** Creation order, to end tasks that finish at the same ms deterministically. */
  readonly sequence: number;
  readonly node: string;
  readonly pid: number;
  readonly pstart: number;
  readonly starttime: number;
  readonly type: string;
  readonly id: string;
  /** Full user as in the UPID, e.g. `jarvis@pve!monitor`. */
  readonly user: string;
  /** Epoch ms at which the worker finishes. */
  readonly endMs: number;
  /** undefined while running; `OK` or the error text once stopped. */
  exitstatus?: string | undefined;
  /** What the worker will conclude: undefined = success, else the error text. */
  readonly failure?: string | undefined;
  readonly log: string[];
  /** State change applied when the worker ends (succeeded = no failure). */
  readonly onEnd?: ((succeeded: boolean) => void) | undefined;
}

export interface DockerHostState {
  readonly host: string;
  /** The VM the daemon runs in; its node and state decide whether the daemon is reachable. */
  readonly vmid: number;
  up: boolean;
  readonly containers: ContainerState[];
}

export interface ContainerState extends Omit<SimContainer, 'status' | 'state' | 'startedAt' | 'restartCount'> {
  state: 'running' | 'exited' | 'restarting' | 'paused' | 'created' | 'dead';
  exitCode: number;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  restartCount: number;
  readonly log: string[];
}

export interface ClusterLogEntry {
  readonly uid: number;
  readonly time: number;
  readonly pri: number;
  readonly tag: string;
  readonly pid: number;
  readonly node: string;
  readonly user: string;
  readonly msg: string;
}
