import type { Topology } from '../core/domain/topology.ts';
import type { ConfigIssue } from './config-error.ts';
import type { ConfigFile } from './config-schema.ts';
import { dayNumber } from './sections/safety-section.ts';

function minutes(time: string): number {
  const [hours, mins] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (mins ?? 0);
}

/**
 * The one mapper from YAML sections (topology, protected, safety) to the core `Topology` the
 * kernel receives. Absent protected lists are derived from `topology.self`; absent never-act
 * nodes are the watchdog nodes. Pure: no I/O.
 */
export function toTopology(file: ConfigFile): Topology {
  const { topology, safety } = file;
  const self = topology.self;
  const dockerHost = self.dockerHost ?? `docker@${self.vmid}`;
  const hostNode = topology.nodes.find((node) => node.name === self.node);
  const given = file.protected;
  return {
    clusterName: topology.clusterName,
    nodes: topology.nodes.map((node) => ({ name: node.name, address: node.address, role: node.role, votes: node.votes })),
    self: { container: self.container, dockerHost, vmid: self.vmid, vmName: self.vmName, node: self.node, address: self.address },
    protected: {
      nodes: given.nodes ?? [self.node],
      guests: given.guests ?? [self.vmid],
      dockerHosts: given.dockerHosts ?? [dockerHost],
      containers: given.containers ?? [`${dockerHost}/${self.container}`],
      networkAddresses: given.networkAddresses ?? [self.address, ...(hostNode?.address ? [hostNode.address] : [])],
    },
    neverAct: {
      nodes: safety.neverAct.nodes ?? topology.nodes.filter((node) => node.role === 'watchdog').map((node) => node.name),
      guests: safety.neverAct.guests,
      containers: safety.neverAct.containers,
    },
    maintenanceWindows: safety.maintenanceWindows.map((window) => ({
      days: window.days.map(dayNumber),
      startMinute: minutes(window.start),
      endMinute: minutes(window.end),
    })),
    dockerHosts: topology.dockerHosts ?? { [dockerHost]: self.vmid },
    tierOverrides: safety.tierOverrides,
  };
}

/**
 * Cross-field checks the per-section schemas cannot express: unique node names, every named node
 * exists, the self chain is protected, Docker endpoints belong to declared hosts.
 */
export function checkTopology(file: ConfigFile, topology: Topology): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  topology.nodes.forEach((node, index) => {
    const first = seen.get(node.name.toLowerCase());
    if (first !== undefined)
      issues.push({ key: `topology.nodes[${index}].name`, value: node.name, expected: `expected unique node names (same as topology.nodes[${first}].name)` });
    else seen.set(node.name.toLowerCase(), index);
  });
  const names = new Set(topology.nodes.map((node) => node.name));
  const list = [...names].join(', ');
  if (!names.has(topology.self.node))
    issues.push({ key: 'topology.self.node', value: topology.self.node, expected: `expected one of topology.nodes: ${list}` });
  (file.protected.nodes ?? []).forEach((name, index) => {
    if (!names.has(name)) issues.push({ key: `protected.nodes[${index}]`, value: name, expected: `expected a node listed in topology.nodes (${list})` });
  });
  (file.safety.neverAct.nodes ?? []).forEach((name, index) => {
    if (!names.has(name)) issues.push({ key: `safety.neverAct.nodes[${index}]`, value: name, expected: `expected a node listed in topology.nodes (${list})` });
  });
  const self = topology.self;
  const mustContain: [string, readonly unknown[], unknown, string][] = [
    ['protected.nodes', topology.protected.nodes, self.node, 'topology.self.node'],
    ['protected.guests', topology.protected.guests, self.vmid, 'topology.self.vmid'],
    ['protected.dockerHosts', topology.protected.dockerHosts, self.dockerHost, 'topology.self.dockerHost'],
    ['protected.containers', topology.protected.containers, `${self.dockerHost}/${self.container}`, 'topology.self (dockerHost/container)'],
  ];
  for (const [key, values, needed, from] of mustContain) {
    if (!values.includes(needed))
      issues.push({ key, value: values, expected: `expected to include ${JSON.stringify(needed)} (${from}: Jarvis runs there and must never act on itself)` });
  }
  if (!(self.dockerHost in topology.dockerHosts))
    issues.push({ key: 'topology.dockerHosts', value: topology.dockerHosts, expected: `expected to include ${self.dockerHost} (topology.self.dockerHost)` });
  for (const id of Object.keys(file.docker.hosts)) {
    if (!(id in topology.dockerHosts))
      issues.push({
        key: `docker.hosts.${id}`,
        expected: `expected a host declared in topology.dockerHosts (${Object.keys(topology.dockerHosts).join(', ')})`,
      });
  }
  if (topology.nodes.reduce((sum, node) => sum + node.votes, 0) === 0)
    issues.push({ key: 'topology.nodes', expected: 'expected at least one node with votes > 0' });
  return issues;
}
