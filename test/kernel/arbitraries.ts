/** fast-check generators for the kernel property suites: actions, actors, snapshots, locks. */
import fc from 'fast-check';
import type { Action, Actor, Target } from '../../src/core/domain/action.ts';
import { ACTION_KINDS, KIND_TARGETS, type ActionKind } from '../../src/core/domain/action.ts';
import type { ClusterSnapshot, Guest } from '../../src/core/domain/cluster.ts';
import { NOW } from './fixtures.ts';

const NODES = ['Home', 'pve', 'agent1', 'agent'];
const nodeName = fc.constantFrom(...NODES, 'nowhere', 'agent1;reboot');
const vmid = fc.constantFrom(101, 102, 103, 104, 105, 106, 999);

const TARGET_ARBS: fc.Arbitrary<Target>[] = [
  nodeName.map((node) => ({ type: 'node' as const, node })),
  fc
    .record({
      vmid,
      name: fc.option(fc.constantFrom('web01', 'management', 'apps', 'db01'), { nil: undefined }),
      node: fc.option(nodeName, { nil: undefined }),
    })
    .map(({ vmid: id, name, node }) => ({ type: 'guest' as const, vmid: id, ...(name ? { name } : {}), ...(node ? { node } : {}) })),
  fc
    .record({
      node: nodeName,
      unit: fc.constantFrom(
        'pveproxy',
        'pvestatd',
        'corosync',
        'docker',
        'pve-cluster',
        'x;rm -rf /',
        '../../etc/passwd',
        'nginx',
        'ssh.socket',
        'corosync.path',
      ),
    })
    .map(({ node, unit }) => ({ type: 'service' as const, node, unit })),
  fc
    .record({ host: fc.constantFrom('docker@103', 'docker@105', 'docker@999'), name: fc.constantFrom('jarvis', 'web', 'db', '$(reboot)') })
    .map(({ host, name }) => ({ type: 'container' as const, host, name })),
  fc.constantFrom('docker@103', 'docker@105', 'docker@999').map((host) => ({ type: 'docker-host' as const, host })),
  fc
    .record({ node: fc.option(nodeName, { nil: undefined }), storage: fc.constantFrom('local', 'nope') })
    .map(({ node, storage }) => ({ type: 'storage' as const, storage, ...(node ? { node } : {}) })),
  fc
    .record({
      where: fc.oneof(
        nodeName.map((node) => ({ node })),
        fc.constantFrom('192.168.1.65', '192.168.1.61', '192.168.1.50', '10.0.0.9').map((address) => ({ address })),
      ),
      iface: fc.constantFrom('eth0', 'vmbr0'),
    })
    .map(({ where, iface }) => ({ type: 'network-interface' as const, iface, ...where })),
  fc.constant({ type: 'cluster' as const }),
];
export const targetArb: fc.Arbitrary<Target> = fc.oneof(...TARGET_ARBS);
const ORDER: Target['type'][] = ['node', 'guest', 'service', 'container', 'docker-host', 'storage', 'network-interface', 'cluster'];
/** Mostly a target the kind accepts, sometimes any target. */
const targetFor = (kind: ActionKind): fc.Arbitrary<Target> =>
  fc.oneof({ weight: 5, arbitrary: fc.oneof(...KIND_TARGETS[kind].map((type) => TARGET_ARBS[ORDER.indexOf(type)]!)) }, { weight: 1, arbitrary: targetArb });

export const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  fc.constant({ kind: 'user' as const, id: 'owner' }),
  fc.constant({ kind: 'model' as const, modelId: 'qwen' }),
  fc.constant({ kind: 'monitor' as const, rule: 'disk-full' }),
  fc.constant({ kind: 'mcp-client' as const, clientId: 'claude' }),
);

const paramsArb = fc.oneof(
  fc.constant({}),
  fc.constantFrom(
    { command: 'uptime' },
    { command: 'journal', params: { unit: 'pveproxy', since: '1h' } },
    { command: 'rm -rf /' },
    { command: 'service_restart', params: { unit: 'pveproxy' } },
  ),
  fc.constantFrom({ path: '/tmp' }, { path: '/' }, { path: '/var/tmp/../../etc' }),
  fc.constantFrom({ targetNode: 'agent' }, { targetNode: 'agent1' }, { targetNode: 'nowhere' }),
);

export const actionArb: fc.Arbitrary<Action> = fc
  .constantFrom(...ACTION_KINDS)
  .chain((kind) =>
    fc.record({
      kind: fc.constant(kind),
      target: targetFor(kind),
      params: paramsArb,
      actor: actorArb,
      tainted: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    }),
  )
  .map(({ kind, target, params, actor, tainted }) => ({
    kind,
    target,
    params,
    actor,
    reason: 'property',
    ...(tainted ? { taint: [{ source: 'journal' }] } : {}),
  }));

/** Random node availability and guest placement (103 may sit on any node). */
export const snapshotArb: fc.Arbitrary<ClusterSnapshot> = fc
  .record({
    online: fc.array(
      fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      { minLength: 4, maxLength: 4 },
    ),
    placement: fc.array(fc.constantFrom(...NODES), { minLength: 6, maxLength: 6 }),
    status: fc.array(fc.constantFrom('running', 'stopped'), { minLength: 6, maxLength: 6 }),
  })
  .map(({ online, placement, status }) => {
    const nodes = NODES.map((name, index) => ({ name, status: online[index] ? ('online' as const) : ('offline' as const), votes: 1 }));
    const votesOnline = online.filter(Boolean).length;
    const names = ['web01', 'db01', 'management', 'backup', 'apps', 'media'];
    const guests: Guest[] = names.map((name, index) => ({
      vmid: 101 + index,
      name,
      node: placement[index]!,
      status: status[index]!,
      type: 'qemu',
      template: false,
      tags: [],
    }));
    return {
      version: 1,
      takenAt: NOW,
      quorum: { quorate: votesOnline >= 3, nodesTotal: 4, votesOnline, votesTotal: 4, votesNeeded: 3 },
      nodes,
      guests,
      storage: NODES.map((node) => ({
        id: `storage/${node}/local`,
        storage: 'local',
        node,
        type: 'dir',
        status: 'available' as const,
        shared: false,
        content: [],
      })),
    };
  });
