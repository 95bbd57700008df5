/**
 * Identity check (seed pitfall 2.3): resolve the action's target in the live snapshot and refuse
 * any mismatch with both sides shown ("VMID 103 is 'management' on agent1, not 'web01'").
 * Unknown targets and malformed names are refused too. Pure.
 */
import { describeTarget, type Action } from '../domain/action.ts';
import type { ClusterSnapshot, Guest } from '../domain/cluster.ts';
import type { Topology } from '../domain/topology.ts';
import { NODE_NAME, UNIT_NAME } from './command-catalogue.ts';

export const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
export const IFACE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.:@-]{0,15}$/;
export const STORAGE_NAME = /^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/;
export const ADDRESS = /^[0-9a-fA-F.:]{2,45}$/;

/** What the target turned out to be in the live cluster. */
export interface ResolvedTarget {
  /** Node the action operates on (lock key), when there is one. */
  readonly node?: string | undefined;
  readonly guest?: Guest | undefined;
  /** Address of a network-interface target, resolved from node or given. */
  readonly address?: string | undefined;
}

export type Resolution = { readonly ok: true; readonly target: ResolvedTarget } | { readonly ok: false; readonly reasons: string[] };

function guestLabel(guest: Guest): string {
  return `VMID ${guest.vmid} is '${guest.name ?? '(no name)'}' on ${guest.node}`;
}

function nodeOfDockerHost(topology: Topology, snapshot: ClusterSnapshot, host: string): string | undefined {
  const vmid = topology.dockerHosts[host];
  if (vmid === undefined) return undefined;
  return snapshot.guests.find((guest) => guest.vmid === vmid)?.node;
}

/**
 * Resolves and identity-checks the target; every failure is a reason to deny. `expectedIdentity`
 * is checked for every target type: a field that cannot be compared with the target (a vmid on a
 * storage target, a node on a cluster-wide act) denies rather than being ignored.
 */
export function resolveTarget(action: Action, snapshot: ClusterSnapshot, topology: Topology): Resolution {
  const resolution = resolveUnchecked(action, snapshot, topology);
  const expected = action.expectedIdentity;
  if (!resolution.ok || expected === undefined || action.target.type === 'guest') return resolution;
  const reasons = expectedIdentityReasons(action, resolution.target, topology);
  return reasons.length > 0 ? { ok: false, reasons } : resolution;
}

/** Mismatches between a non-guest target and its expectedIdentity (guests are checked in place). */
function expectedIdentityReasons(action: Action, resolved: ResolvedTarget, topology: Topology): string[] {
  const expected = action.expectedIdentity ?? {};
  const target = action.target;
  const label = describeTarget(target);
  const reasons: string[] = [];
  if (expected.node !== undefined && resolved.node !== expected.node) {
    reasons.push(
      resolved.node === undefined
        ? `identity mismatch: ${label} has no node to match the expected node ${expected.node}`
        : `identity mismatch: ${label} is on ${resolved.node}, not ${expected.node}`,
    );
  }
  if (expected.vmid !== undefined) {
    const vmid = target.type === 'container' || target.type === 'docker-host' ? topology.dockerHosts[target.host] : undefined;
    if (vmid !== expected.vmid)
      reasons.push(
        vmid === undefined
          ? `identity mismatch: ${label} is not a guest, not VMID ${expected.vmid}`
          : `identity mismatch: ${label} runs on VMID ${vmid}, not ${expected.vmid}`,
      );
  }
  if (expected.name !== undefined) {
    const name = target.type === 'container' ? target.name : target.type === 'node' ? target.node : target.type === 'service' ? target.unit : undefined;
    if (name !== expected.name) reasons.push(`identity mismatch: ${label} is ${name === undefined ? 'unnamed' : `'${name}'`}, not '${expected.name}'`);
  }
  return reasons;
}

function resolveUnchecked(action: Action, snapshot: ClusterSnapshot, topology: Topology): Resolution {
  const target = action.target;
  const reasons: string[] = [];
  const expected = action.expectedIdentity;
  const hasNode = (name: string) => snapshot.nodes.some((node) => node.name === name);

  switch (target.type) {
    case 'guest': {
      const guest = snapshot.guests.find((candidate) => candidate.vmid === target.vmid);
      if (!guest) return { ok: false, reasons: [`unknown target: VMID ${target.vmid} does not exist in the cluster`] };
      const wantName = target.name ?? expected?.name;
      const wantNode = target.node ?? expected?.node;
      if (expected?.vmid !== undefined && expected.vmid !== target.vmid)
        reasons.push(`identity mismatch: the action targets VMID ${target.vmid} but expects VMID ${expected.vmid}`);
      if (wantName !== undefined && guest.name !== wantName) reasons.push(`identity mismatch: ${guestLabel(guest)}, not '${wantName}'`);
      if (wantNode !== undefined && guest.node !== wantNode) reasons.push(`identity mismatch: ${guestLabel(guest)}, not on ${wantNode}`);
      return reasons.length ? { ok: false, reasons } : { ok: true, target: { node: guest.node, guest } };
    }
    case 'node':
      if (!NODE_NAME.test(target.node) || !hasNode(target.node))
        return { ok: false, reasons: [`unknown target: node '${target.node}' is not a member of the cluster`] };
      if (expected?.node !== undefined && expected.node !== target.node)
        return { ok: false, reasons: [`identity mismatch: the target is node ${target.node}, not ${expected.node}`] };
      return { ok: true, target: { node: target.node } };
    case 'service':
      if (!NODE_NAME.test(target.node) || !hasNode(target.node))
        return { ok: false, reasons: [`unknown target: node '${target.node}' is not a member of the cluster`] };
      if (!UNIT_NAME.test(target.unit) || target.unit.includes('..') || target.unit.endsWith('.service'))
        return { ok: false, reasons: [`invalid unit name '${target.unit.slice(0, 64)}'`] };
      return { ok: true, target: { node: target.node } };
    case 'container':
    case 'docker-host': {
      if (!Object.prototype.hasOwnProperty.call(topology.dockerHosts, target.host))
        return { ok: false, reasons: [`unknown target: Docker host '${target.host.slice(0, 64)}' is not configured`] };
      if (target.type === 'container' && !CONTAINER_NAME.test(target.name))
        return { ok: false, reasons: [`invalid container name '${target.name.slice(0, 64)}'`] };
      const node = nodeOfDockerHost(topology, snapshot, target.host);
      if (node === undefined) return { ok: false, reasons: [`unknown target: the VM of Docker host '${target.host}' is not in the cluster`] };
      return { ok: true, target: { node } };
    }
    case 'storage': {
      if (!STORAGE_NAME.test(target.storage)) return { ok: false, reasons: [`invalid storage id '${target.storage.slice(0, 64)}'`] };
      const found = snapshot.storage.some((entry) => entry.storage === target.storage && (target.node === undefined || entry.node === target.node));
      if (!found) return { ok: false, reasons: [`unknown target: storage '${target.storage}'${target.node ? ` on ${target.node}` : ''} does not exist`] };
      return { ok: true, target: { node: target.node } };
    }
    case 'network-interface': {
      if (!IFACE_NAME.test(target.iface)) return { ok: false, reasons: [`invalid interface name '${target.iface.slice(0, 64)}'`] };
      if (target.node !== undefined) {
        if (!hasNode(target.node)) return { ok: false, reasons: [`unknown target: node '${target.node}' is not a member of the cluster`] };
        const address = topology.nodes.find((node) => node.name === target.node)?.address ?? snapshot.nodes.find((node) => node.name === target.node)?.ip;
        if (target.address !== undefined && address !== undefined && address !== target.address) {
          return { ok: false, reasons: [`identity mismatch: node ${target.node} has address ${address}, not ${target.address}`] };
        }
        return { ok: true, target: { node: target.node, address: target.address ?? address } };
      }
      if (target.address === undefined || !ADDRESS.test(target.address))
        return { ok: false, reasons: ['a network-interface target needs a node or a valid address'] };
      const byAddress = topology.nodes.find((node) => node.address === target.address)?.name ?? snapshot.nodes.find((node) => node.ip === target.address)?.name;
      if (byAddress !== undefined) return { ok: true, target: { node: byAddress, address: target.address } };
      if (target.address === topology.self.address) return { ok: true, target: { node: topology.self.node, address: target.address } };
      return { ok: false, reasons: [`unknown target: no node or managed VM has address ${target.address}`] };
    }
    case 'cluster':
      return { ok: true, target: {} };
  }
}
