/**
 * Dependency graph and blast radius (seed pitfall 1). Edges come from config (jarvis -> its
 * container -> the Docker daemon -> VM -> node -> cluster quorum) and from the live snapshot
 * (each guest -> its node; each Docker host -> its VM; each guest -> the storages of its node,
 * since the snapshot does not map disks to storages). The blast radius of a disruptive action is
 * the target plus everything that transitively depends on it; a non-disruptive one (start, read,
 * temp cleanup) touches only its target. Computed directly per action in O(guests).
 */
import { NON_DISRUPTIVE_KINDS, type Action } from '../domain/action.ts';
import type { ClusterSnapshot } from '../domain/cluster.ts';
import { guestName, guestTypeIn } from '../domain/guest-name.ts';
import type { Topology } from '../domain/topology.ts';
import type { BlastRadius } from './decision.ts';
import type { ResolvedTarget } from './resolve-target.ts';

interface Accumulator {
  resources: Set<string>;
  nodes: Set<string>;
  guests: Set<number>;
  containers: Set<string>;
  services: Set<string>;
  selfChain?: string[];
  /** Docker hosts by the VMID that runs them (from topology.dockerHosts). */
  hostsByVmid: Map<number, string[]>;
  /** The snapshot's guests (a guest in the chain is named by its kind: `VM 103`, `CT 207`). */
  guestList: ClusterSnapshot['guests'];
}

function addDockerHost(acc: Accumulator, topology: Topology, host: string, below: readonly string[]): void {
  acc.resources.add(`docker:${host}`);
  acc.containers.add(`${host}/*`);
  if (host === topology.self.dockerHost) {
    acc.resources.add('jarvis');
    acc.containers.add(`${host}/${topology.self.container}`);
    acc.selfChain ??= ['jarvis', host, ...below];
  }
}

function addGuest(acc: Accumulator, topology: Topology, vmid: number, below: readonly string[]): void {
  acc.resources.add(`vm:${vmid}`);
  acc.guests.add(vmid);
  const hosts = acc.hostsByVmid.get(vmid);
  if (hosts) for (const host of hosts) addDockerHost(acc, topology, host, [guestName(guestTypeIn(acc.guestList, vmid), vmid), ...below]);
}

function addNode(acc: Accumulator, topology: Topology, snapshot: ClusterSnapshot, node: string, below: readonly string[]): void {
  acc.resources.add(`node:${node}`);
  acc.nodes.add(node);
  const chain = [`node ${node}`, ...below];
  for (const guest of snapshot.guests) {
    if (guest.node === node) addGuest(acc, topology, guest.vmid, chain);
  }
}

/** Blast radius of `action` whose target was resolved to `resolved`. */
export function computeBlastRadius(action: Action, resolved: ResolvedTarget, snapshot: ClusterSnapshot, topology: Topology): BlastRadius {
  const hostsByVmid = new Map<number, string[]>();
  // Jarvis's own Docker host always sits on its VM, even if topology.dockerHosts forgot it.
  const hostEntries: [string, number][] = [...Object.entries(topology.dockerHosts), [topology.self.dockerHost, topology.self.vmid]];
  for (const [host, vmid] of hostEntries) {
    const hosts = hostsByVmid.get(vmid) ?? [];
    if (!hosts.includes(host)) hostsByVmid.set(vmid, [...hosts, host]);
  }
  const acc: Accumulator = {
    resources: new Set(),
    nodes: new Set(),
    guests: new Set(),
    containers: new Set(),
    services: new Set(),
    hostsByVmid,
    guestList: snapshot.guests,
  };
  const disruptive = !NON_DISRUPTIVE_KINDS.has(action.kind);
  const target = action.target;
  switch (target.type) {
    case 'cluster':
      acc.resources.add('cluster');
      if (disruptive) for (const node of snapshot.nodes) addNode(acc, topology, snapshot, node.name, ['cluster']);
      break;
    case 'node':
      if (disruptive) addNode(acc, topology, snapshot, target.node, []);
      else acc.resources.add(`node:${target.node}`);
      break;
    case 'guest':
      if (disruptive) addGuest(acc, topology, target.vmid, []);
      else acc.resources.add(`vm:${target.vmid}`);
      break;
    case 'docker-host':
      if (disruptive) addDockerHost(acc, topology, target.host, []);
      else acc.resources.add(`docker:${target.host}`);
      break;
    case 'container': {
      const id = `${target.host}/${target.name}`;
      acc.resources.add(`container:${id}`);
      acc.containers.add(id);
      if (disruptive && target.host === topology.self.dockerHost && target.name === topology.self.container) {
        acc.resources.add('jarvis');
        acc.selfChain = ['jarvis', id];
      }
      break;
    }
    case 'service':
      acc.resources.add(`service:${target.node}/${target.unit}`);
      acc.services.add(`${target.node}/${target.unit}`);
      break;
    case 'storage': {
      const where = `${target.node ?? '*'}/${target.storage}`;
      acc.resources.add(`storage:${where}`);
      if (!disruptive) break;
      // The snapshot does not say which disks live where, so assume the worst: every guest on a
      // node that has this storage (all of them for a shared one) may have its disks on it.
      const hosting = new Set(
        snapshot.storage
          .filter((entry) => entry.storage === target.storage && (target.node === undefined || entry.node === target.node || entry.shared))
          .map((entry) => entry.node),
      );
      for (const guest of snapshot.guests) if (hosting.has(guest.node)) addGuest(acc, topology, guest.vmid, [`storage ${where}`]);
      break;
    }
    case 'network-interface': {
      const where = target.node ?? target.address ?? '?';
      acc.resources.add(`iface:${where}/${target.iface}`);
      if (!disruptive) break;
      // Losing the interface cuts off whatever is reached through it.
      if (resolved.address !== undefined && resolved.address === topology.self.address)
        addGuest(acc, topology, topology.self.vmid, [`${target.iface}@${where}`]);
      else if (resolved.node !== undefined) addNode(acc, topology, snapshot, resolved.node, [`${target.iface}@${where}`]);
      break;
    }
  }

  let votesLost = 0;
  for (const name of acc.nodes) {
    const node = snapshot.nodes.find((candidate) => candidate.name === name);
    if (node && node.status === 'online') votesLost += node.votes;
  }
  const votesOnline = snapshot.quorum.votesOnline - votesLost;
  const votesNeeded = snapshot.quorum.votesNeeded;
  return {
    resources: [...acc.resources],
    nodes: [...acc.nodes],
    guests: [...acc.guests],
    containers: [...acc.containers],
    services: [...acc.services],
    ...(acc.selfChain ? { selfChain: acc.selfChain } : {}),
    votesLost,
    quorumAfter: { votesOnline, votesNeeded, quorate: snapshot.quorum.quorate && votesOnline >= votesNeeded },
  };
}
