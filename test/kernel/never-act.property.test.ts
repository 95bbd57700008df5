/**
 * Issue 8: never-act means never act. For any topology (random never-act nodes, guests and
 * containers) and any action, a never-act resource in the target — the node a service, a temp
 * cleanup or a container's Docker VM lives on, the guest itself, a migration's destination — or
 * in the blast radius means deny. Computed here from the action and the snapshot directly (not
 * through the kernel's own helper), so the property could fail.
 * Also: service.start/restart of a power-target-shaped or non-allowlisted unit is denied.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/core/domain/action.ts';
import type { ClusterSnapshot } from '../../src/core/domain/cluster.ts';
import type { Topology } from '../../src/core/domain/topology.ts';
import { decide } from '../../src/core/safety/decide.ts';
import { NO_LOCKS } from '../../src/core/safety/decision.ts';
import { actionArb, snapshotArb } from './arbitraries.ts';
import { act, NOW, seedSnapshot, TOPOLOGY, USER } from './fixtures.ts';

const neverActArb = fc.record({
  nodes: fc.subarray(['Home', 'pve', 'agent1', 'agent']),
  guests: fc.subarray([101, 102, 103, 104, 105, 106]),
  containers: fc.subarray(['docker@103/jarvis', 'docker@105/web', 'docker@105/db']),
});

/** The nodes, guests and containers an action names or lives on (independent of the kernel's code). */
function named(action: Action, snapshot: ClusterSnapshot, topology: Topology): { nodes: string[]; guests: number[]; containers: string[] } {
  const target = action.target;
  const nodeOfVmid = (vmid: number | undefined) => snapshot.guests.find((guest) => guest.vmid === vmid)?.node;
  const out = { nodes: [] as (string | undefined)[], guests: [] as (number | undefined)[], containers: [] as string[] };
  if (target.type === 'node' || target.type === 'service') out.nodes.push(target.node);
  if (target.type === 'guest') {
    out.guests.push(target.vmid);
    out.nodes.push(nodeOfVmid(target.vmid));
  }
  if (target.type === 'container' || target.type === 'docker-host') {
    const vmid = topology.dockerHosts[target.host];
    out.guests.push(vmid);
    out.nodes.push(nodeOfVmid(vmid));
    if (target.type === 'container') out.containers.push(`${target.host}/${target.name}`);
    else out.containers.push(...topology.neverAct.containers.filter((container) => container.startsWith(`${target.host}/`)));
  }
  if (target.type === 'storage' && target.node) out.nodes.push(target.node);
  if (target.type === 'network-interface' && target.node) out.nodes.push(target.node);
  if (target.type === 'cluster') out.nodes.push(...snapshot.nodes.map((node) => node.name));
  if (action.kind === 'guest.migrate' && typeof action.params.targetNode === 'string') out.nodes.push(action.params.targetNode);
  return {
    nodes: out.nodes.filter((n): n is string => n !== undefined),
    guests: out.guests.filter((g): g is number => g !== undefined),
    containers: out.containers,
  };
}

describe('never-act: any never-act resource in the target or blast radius denies (issue 8)', () => {
  it('holds for random topologies and actions (3,000 cases)', () => {
    let acting = 0;
    fc.assert(
      fc.property(actionArb, snapshotArb, neverActArb, (action, snapshot, neverAct) => {
        const topology: Topology = { ...TOPOLOGY, neverAct };
        const decision = decide(action, snapshot, topology, NO_LOCKS, NOW);
        if (decision.verdict === 'deny' || action.kind === 'diagnostic.run') return;
        acting += 1;
        const touched = named(action, snapshot, topology);
        const blast = decision.blastRadius;
        const hostsOfNeverGuests = Object.entries(topology.dockerHosts)
          .filter(([, vmid]) => [...touched.guests, ...blast.guests].includes(vmid))
          .map(([host]) => host);
        expect([...touched.nodes, ...blast.nodes].filter((node) => neverAct.nodes.includes(node))).toEqual([]);
        expect([...touched.guests, ...blast.guests].filter((vmid) => neverAct.guests.includes(vmid))).toEqual([]);
        expect([...touched.containers, ...blast.containers].filter((container) => neverAct.containers.includes(container))).toEqual([]);
        // A never-act container is untouchable through its Docker host too.
        expect(
          neverAct.containers.filter(
            (container) => hostsOfNeverGuests.some((host) => container.startsWith(`${host}/`)) || blast.containers.includes(`${container.split('/')[0]}/*`),
          ),
        ).toEqual([]);
      }),
      { numRuns: 3_000 },
    );
    expect(acting).toBeGreaterThan(50);
  });
});

describe('never-act covers a whole node (the three reported gaps)', () => {
  const snapshot = seedSnapshot({
    guests: [...seedSnapshot().guests, { vmid: 110, name: 'homeguest', node: 'Home', status: 'stopped', type: 'qemu', template: false, tags: [] }],
  });
  const home = (action: Action) => decide(action, snapshot, TOPOLOGY, NO_LOCKS, NOW);

  it('denies service.restart, service.start and service.stop on a never-act node', () => {
    for (const kind of ['service.restart', 'service.start', 'service.stop'] as const) {
      const decision = home(act(kind, { type: 'service', node: 'Home', unit: 'pveproxy' }, {}, USER));
      expect(decision.verdict, kind).toBe('deny');
      expect(decision.reasons).toContain('node Home is on the never-act list');
    }
  });

  it('denies starting a guest that lives on a never-act node, and migrating to or from it', () => {
    expect(home(act('guest.start', { type: 'guest', vmid: 110 }, {}, USER)).reasons).toContain('node Home is on the never-act list');
    expect(home(act('guest.migrate', { type: 'guest', vmid: 110 }, { targetNode: 'pve' }, USER)).verdict).toBe('deny');
    expect(home(act('guest.migrate', { type: 'guest', vmid: 101 }, { targetNode: 'Home' }, USER)).verdict).toBe('deny');
  });

  it('denies containers on a Docker host whose VM is on a never-act node or is a never-act guest', () => {
    const onHome = { ...TOPOLOGY, dockerHosts: { ...TOPOLOGY.dockerHosts, 'docker@110': 110 } };
    const decision = decide(act('container.start', { type: 'container', host: 'docker@110', name: 'web' }, {}, USER), snapshot, onHome, NO_LOCKS, NOW);
    expect(decision.verdict).toBe('deny');
    expect(decision.reasons).toContain('node Home is on the never-act list');
    const guestListed = { ...TOPOLOGY, neverAct: { ...TOPOLOGY.neverAct, guests: [105] } };
    expect(
      decide(act('container.restart', { type: 'container', host: 'docker@105', name: 'web' }, {}, USER), snapshot, guestListed, NO_LOCKS, NOW).reasons,
    ).toContain('VMID 105 is on the never-act list');
    const containerListed = { ...TOPOLOGY, neverAct: { ...TOPOLOGY.neverAct, containers: ['docker@105/db'] } };
    expect(decide(act('docker.restart', { type: 'docker-host', host: 'docker@105' }, {}, USER), snapshot, containerListed, NO_LOCKS, NOW).reasons).toContain(
      'container docker@105/db is on the never-act list',
    );
    expect(
      decide(act('container.start', { type: 'container', host: 'docker@105', name: 'db' }, {}, USER), snapshot, containerListed, NO_LOCKS, NOW).verdict,
    ).toBe('deny');
  });

  it('still lets reads (diagnostics) run on a never-act node', () => {
    expect(home(act('diagnostic.run', { type: 'node', node: 'Home' }, { command: 'uptime' })).verdict).toBe('allow');
  });
});

describe('service units: power targets never, start/restart only for the allowlist (issue 8)', () => {
  const snapshot = seedSnapshot();
  it('denies power-target-shaped units with a reason, for every service kind', () => {
    for (const unit of [
      'reboot',
      'poweroff',
      'halt',
      'kexec',
      'multi-user.target',
      'rescue',
      'emergency',
      'systemd-reboot',
      'ctrl-alt-del.target',
      'default.target',
    ]) {
      for (const kind of ['service.start', 'service.restart', 'service.stop'] as const) {
        const decision = decide(act(kind, { type: 'service', node: 'pve', unit }, {}, USER), snapshot, TOPOLOGY, NO_LOCKS, NOW);
        expect(decision.verdict, `${kind} ${unit}`).toBe('deny');
        expect(decision.reasons.join(' ')).toMatch(/power or state target/);
      }
    }
  });

  it('denies service.start and service.restart of a unit outside the allowlist; allowlisted ones run', () => {
    for (const kind of ['service.start', 'service.restart'] as const) {
      expect(decide(act(kind, { type: 'service', node: 'pve', unit: 'my-app' }, {}, USER), snapshot, TOPOLOGY, NO_LOCKS, NOW).reasons.join(' ')).toMatch(
        /not in the restart allowlist/,
      );
      expect(decide(act(kind, { type: 'service', node: 'pve', unit: 'pveproxy' }, {}, USER), snapshot, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('allow-notify');
      expect(
        decide(act(kind, { type: 'service', node: 'pve', unit: 'my-app' }, {}, USER), snapshot, TOPOLOGY, NO_LOCKS, NOW, { restartableUnits: ['my-app'] })
          .verdict,
      ).toBe('allow-notify');
    }
  });
});
