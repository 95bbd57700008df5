/**
 * The homelab's shape as configured by the owner: which nodes exist, where Jarvis itself lives,
 * and what must never be touched. Built by src/config from the YAML file; defaults are the
 * seed's topology (Home, pve, agent1, agent; Jarvis in Docker on VM 103 on agent1).
 * Pure data: the safety kernel receives it as an argument.
 */
export interface TopologyNode {
  readonly name: string;
  /** Management address (SSH, display); optional for nodes whose address is not configured. */
  readonly address?: string | undefined;
  readonly role: 'workload' | 'management-host' | 'watchdog';
  /** Corosync votes (1 by default). */
  readonly votes: number;
}

/** Where Jarvis runs: the chain it depends on, from the app down to the node. */
export interface SelfLocation {
  /** Name of Jarvis's own container. */
  readonly container: string;
  /** Id of the Docker daemon that runs it, e.g. `docker@103`. */
  readonly dockerHost: string;
  /** Management VM. */
  readonly vmid: number;
  readonly vmName: string;
  /** Node that hosts the management VM. */
  readonly node: string;
  /** Address of the management VM. */
  readonly address: string;
}

export interface ProtectedResources {
  /** Nodes that may not be rebooted, shut down or have their network changed. */
  readonly nodes: readonly string[];
  /** Guests that may not be stopped, shut down, rebooted, migrated or reconfigured. */
  readonly guests: readonly number[];
  /** Docker daemons that may not be restarted or reconfigured (ids like `docker@103`). */
  readonly dockerHosts: readonly string[];
  /** Containers that may not be stopped or restarted (`host/name`, e.g. `docker@103/jarvis`). */
  readonly containers: readonly string[];
  /** Addresses whose network interfaces may not be modified. */
  readonly networkAddresses: readonly string[];
}

/** Targets the owner never wants touched by Jarvis at all (reads still work). */
export interface NeverActList {
  readonly nodes: readonly string[];
  readonly guests: readonly number[];
  readonly containers: readonly string[];
}

/** A weekly window (UTC) during which no autonomous (monitor) act runs. */
export interface MaintenanceWindow {
  /** 0 = Sunday .. 6 = Saturday; empty = every day. */
  readonly days: readonly number[];
  /** Minutes since 00:00 UTC. */
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface Topology {
  readonly clusterName: string;
  readonly nodes: readonly TopologyNode[];
  readonly self: SelfLocation;
  readonly protected: ProtectedResources;
  readonly neverAct: NeverActList;
  readonly maintenanceWindows: readonly MaintenanceWindow[];
  /** Docker hosts Jarvis can manage, id -> VMID of the guest running the daemon. */
  readonly dockerHosts: Readonly<Record<string, number>>;
  /**
   * Stricter tiers per action kind (kind -> tier). The kernel ignores any override that would
   * loosen the default tier.
   */
  readonly tierOverrides: Readonly<Record<string, string>>;
}

/** The seed's homelab, used when the config file does not say otherwise. */
export const SEED_TOPOLOGY: Topology = {
  clusterName: 'homelab',
  nodes: [
    { name: 'Home', address: '192.168.1.50', role: 'watchdog', votes: 1 },
    { name: 'pve', role: 'workload', votes: 1 },
    { name: 'agent1', address: '192.168.1.61', role: 'management-host', votes: 1 },
    { name: 'agent', role: 'workload', votes: 1 },
  ],
  self: { container: 'jarvis', dockerHost: 'docker@103', vmid: 103, vmName: 'management', node: 'agent1', address: '192.168.1.65' },
  protected: {
    nodes: ['agent1'],
    guests: [103],
    dockerHosts: ['docker@103'],
    containers: ['docker@103/jarvis'],
    networkAddresses: ['192.168.1.65', '192.168.1.61'],
  },
  neverAct: { nodes: ['Home'], guests: [], containers: [] },
  maintenanceWindows: [],
  dockerHosts: { 'docker@103': 103 },
  tierOverrides: {},
};
