/**
 * The cluster model Jarvis reasons about. Pure data: built by adapters from PVE's wire format,
 * read by the kernel, the tools and the dashboard.
 *
 * Convention: a figure PVE does not know is `undefined`, never 0. QEMU disk usage without a guest
 * agent, the memory of a stopped guest and every metric of an offline node are `undefined`.
 */

export type NodeStatus = 'online' | 'offline' | 'unknown';

export interface ClusterNode {
  readonly name: string;
  readonly status: NodeStatus;
  /** Corosync node id (0 on a standalone node). */
  readonly nodeid?: number | undefined;
  readonly ip?: string | undefined;
  /** Votes this node contributes to quorum (1 by default). */
  readonly votes: number;
  /** CPU busy fraction 0..1. */
  readonly cpu?: number | undefined;
  readonly maxcpu?: number | undefined;
  /** Bytes. */
  readonly mem?: number | undefined;
  readonly maxmem?: number | undefined;
  /** Root filesystem bytes. */
  readonly disk?: number | undefined;
  readonly maxdisk?: number | undefined;
  /** Seconds. */
  readonly uptime?: number | undefined;
}

export type GuestType = 'qemu' | 'lxc';

/** PVE reports running/stopped or a QMP run state (paused, ...); 'unknown' when no fresh data. */
export type GuestStatus = 'running' | 'stopped' | 'paused' | 'suspended' | 'unknown' | (string & {});

export interface Guest {
  readonly vmid: number;
  readonly type: GuestType;
  readonly node: string;
  /** Absent when PVE has no fresh data for the guest. */
  readonly name?: string | undefined;
  readonly status: GuestStatus;
  readonly template: boolean;
  readonly tags: readonly string[];
  /** Config lock (backup, migrate, snapshot, ...). */
  readonly lock?: string | undefined;
  /** HA CRM state when HA-managed. */
  readonly hastate?: string | undefined;
  readonly cpu?: number | undefined;
  readonly maxcpu?: number | undefined;
  readonly mem?: number | undefined;
  readonly maxmem?: number | undefined;
  /** Undefined for QEMU (PVE reports 0 = not known). */
  readonly disk?: number | undefined;
  readonly maxdisk?: number | undefined;
  readonly uptime?: number | undefined;
  readonly netin?: number | undefined;
  readonly netout?: number | undefined;
}

export interface StorageEntry {
  /** `storage/<node>/<storage>` */
  readonly id: string;
  readonly storage: string;
  readonly node: string;
  /** Plugin type: dir, lvmthin, nfs, zfspool, ... */
  readonly type: string;
  readonly status: 'available' | 'unknown';
  readonly shared: boolean;
  readonly content: readonly string[];
  readonly used?: number | undefined;
  readonly total?: number | undefined;
}

export interface QuorumState {
  readonly quorate: boolean;
  /** Configured members (offline included). */
  readonly nodesTotal: number;
  /** Sum of the votes of online members. */
  readonly votesOnline: number;
  /** Sum of all configured votes. */
  readonly votesTotal: number;
  /** Votes needed for quorum: floor(votesTotal / 2) + 1. */
  readonly votesNeeded: number;
}

/** A complete view of the cluster at one instant. */
export interface ClusterSnapshot {
  /** Monotonic per producer: increases by one on every refresh. */
  readonly version: number;
  /** Epoch milliseconds when the data was read. */
  readonly takenAt: number;
  readonly clusterName?: string | undefined;
  readonly quorum: QuorumState;
  readonly nodes: readonly ClusterNode[];
  readonly guests: readonly Guest[];
  readonly storage: readonly StorageEntry[];
}

/** Votes needed for a majority of `votesTotal`. */
export function votesNeeded(votesTotal: number): number {
  return Math.floor(votesTotal / 2) + 1;
}

export function findGuest(snapshot: ClusterSnapshot, vmid: number): Guest | undefined {
  return snapshot.guests.find((guest) => guest.vmid === vmid);
}

export function findNode(snapshot: ClusterSnapshot, name: string): ClusterNode | undefined {
  return snapshot.nodes.find((node) => node.name === name);
}

/** An empty snapshot (no data yet), used before the first successful poll. */
export function emptySnapshot(takenAt: number): ClusterSnapshot {
  return {
    version: 0,
    takenAt,
    quorum: { quorate: false, nodesTotal: 0, votesOnline: 0, votesTotal: 0, votesNeeded: 1 },
    nodes: [],
    guests: [],
    storage: [],
  };
}
