/**
 * What each owner list blocks, in one place: docs/safety.md shows this table and `jarvis plan
 * --lists` prints it. The kernel's rules (decide.ts: neverActReasons, protectedReasons) implement it.
 */
export interface ListScope {
  /** Config key. */
  readonly list: string;
  readonly blocks: string;
  readonly allows: string;
}

export const LIST_SCOPES: readonly ListScope[] = [
  {
    list: 'safety.neverAct.nodes',
    blocks:
      'every act whose target or blast radius touches the node: node acts, its services, temp cleanup, acts on guests on it, containers of Docker hosts whose VM runs on it, migrations to or from it, storage/network acts on it, cluster-wide acts',
    allows: 'reads and diagnostics',
  },
  {
    list: 'safety.neverAct.guests',
    blocks: 'every act on the guest (start included), acts whose blast radius reaches it, acts on containers of a Docker host running in it',
    allows: 'reads and diagnostics',
  },
  {
    list: 'safety.neverAct.containers',
    blocks: 'every act on the container (start included), docker.restart of its host, acts taking down its Docker VM or node',
    allows: 'reads, manage_docker list/logs',
  },
  {
    list: 'protected.nodes',
    blocks: 'disruptive acts whose blast radius contains the node (reboot, shutdown, network change, acts taking it down)',
    allows: 'starts, temp cleanup, reads',
  },
  { list: 'protected.guests', blocks: 'disruptive acts on or reaching the guest (stop, shutdown, reboot, migrate, config)', allows: 'start, reads' },
  { list: 'protected.dockerHosts / protected.containers', blocks: 'disruptive acts on the daemon / container', allows: 'start, reads' },
  { list: 'protected.networkAddresses', blocks: 'network acts on interfaces of those addresses', allows: 'reads' },
  { list: 'catalogue protected units', blocks: 'stop/restart of corosync, pve-cluster, networking, ssh, docker, ... and their sibling units', allows: 'reads' },
];
