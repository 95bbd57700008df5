/**
 * decide() latency with a 32-node / 4000-guest snapshot built in-process.
 * Run: `npx tsx bench/decide.bench.ts [iterations]` (default 20,000 per action mix entry after warm-up).
 * Prints p50/p99/max in microseconds per action shape and overall. Goal: p99 < 1 ms.
 */
import type { Action } from '../src/core/domain/action.ts';
import type { ClusterSnapshot, Guest } from '../src/core/domain/cluster.ts';
import { SEED_TOPOLOGY, type Topology } from '../src/core/domain/topology.ts';
import { decide } from '../src/core/safety/decide.ts';
import type { LockState } from '../src/core/safety/decision.ts';

const NODE_COUNT = 32;
const GUEST_COUNT = 4000;
const iterations = Number(process.argv[2] ?? 20_000);

function buildSnapshot(): ClusterSnapshot {
  const names = ['Home', 'pve', 'agent1', 'agent', ...Array.from({ length: NODE_COUNT - 4 }, (_, index) => `node${index + 5}`)];
  const nodes = names.map((name, index) => ({ name, status: 'online' as const, votes: 1, nodeid: index + 1 }));
  const guests: Guest[] = Array.from({ length: GUEST_COUNT }, (_, index) => {
    const vmid = 100 + index;
    return {
      vmid,
      name: vmid === 103 ? 'management' : `guest-${vmid}`,
      node: vmid === 103 ? 'agent1' : names[index % NODE_COUNT]!,
      status: index % 5 === 0 ? 'stopped' : 'running',
      type: index % 3 === 0 ? 'lxc' : 'qemu',
      template: false,
      tags: [],
    };
  });
  const storage = names.map((node) => ({
    id: `storage/${node}/local`,
    storage: 'local',
    node,
    type: 'dir',
    status: 'available' as const,
    shared: false,
    content: ['images'],
  }));
  return {
    version: 1,
    takenAt: 0,
    quorum: { quorate: true, nodesTotal: NODE_COUNT, votesOnline: NODE_COUNT, votesTotal: NODE_COUNT, votesNeeded: NODE_COUNT / 2 + 1 },
    nodes,
    guests,
    storage,
  };
}

const topology: Topology = {
  ...SEED_TOPOLOGY,
  nodes: [...SEED_TOPOLOGY.nodes, ...Array.from({ length: NODE_COUNT - 4 }, (_, index) => ({ name: `node${index + 5}`, role: 'workload' as const, votes: 1 }))],
  dockerHosts: { 'docker@103': 103, 'docker@1200': 1200, 'docker@2500': 2500 },
};
const actor = { kind: 'model' as const, modelId: 'bench' };
const shapes: Record<string, (index: number) => Action> = {
  'guest.reboot (red, random guest)': (index) => ({
    kind: 'guest.reboot',
    target: { type: 'guest', vmid: 104 + (index % 3000) },
    params: {},
    actor,
    reason: 'bench',
  }),
  'guest.stop 103 (deny, self chain)': () => ({ kind: 'guest.stop', target: { type: 'guest', vmid: 103 }, params: {}, actor, reason: 'bench' }),
  'node.network (scans 125 guests)': (index) => ({
    kind: 'node.network',
    target: { type: 'node', node: `node${5 + (index % 28)}` },
    params: {},
    actor,
    reason: 'bench',
  }),
  'node.reboot agent1 (deny)': () => ({ kind: 'node.reboot', target: { type: 'node', node: 'agent1' }, params: {}, actor, reason: 'bench' }),
  'service.restart (yellow)': () => ({
    kind: 'service.restart',
    target: { type: 'service', node: 'pve', unit: 'pveproxy' },
    params: {},
    actor,
    reason: 'bench',
  }),
  'diagnostic.run journal (green)': () => ({
    kind: 'diagnostic.run',
    target: { type: 'node', node: 'pve' },
    params: { command: 'journal', params: { unit: 'pveproxy', since: '2h', lines: 100 } },
    actor,
    reason: 'bench',
  }),
  'unknown guest (deny)': () => ({ kind: 'guest.reboot', target: { type: 'guest', vmid: 999_999 }, params: {}, actor, reason: 'bench' }),
};

const snapshot = buildSnapshot();
const locks: LockState = { held: [] };
const now = Date.UTC(2026, 10, 25, 12);
const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const all: number[] = [];

console.log(`decide() on ${NODE_COUNT} nodes / ${GUEST_COUNT} guests, ${iterations} calls per shape (Node ${process.version})`);
console.log('| action | p50 µs | p99 µs | max µs | mean CPU µs/call |\n|---|---|---|---|---|');
for (const [label, make] of Object.entries(shapes)) {
  const actions = Array.from({ length: iterations }, (_, index) => make(index));
  for (let index = 0; index < 2000; index++) decide(actions[index % actions.length]!, snapshot, topology, locks, now);
  const samples = new Float64Array(iterations);
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < iterations; index++) {
    const start = process.hrtime.bigint();
    decide(actions[index]!, snapshot, topology, locks, now);
    samples[index] = Number(process.hrtime.bigint() - start) / 1000;
  }
  const cpu = process.cpuUsage(cpuBefore);
  samples.sort();
  all.push(...samples);
  const cpuPerCall = (cpu.user + cpu.system) / iterations;
  console.log(
    `| ${label} | ${percentile(samples, 0.5).toFixed(1)} | ${percentile(samples, 0.99).toFixed(1)} | ${samples[samples.length - 1]!.toFixed(0)} | ${cpuPerCall.toFixed(1)} |`,
  );
}
const sorted = Float64Array.from(all).sort();
console.log(`| **all shapes** | ${percentile(sorted, 0.5).toFixed(1)} | ${percentile(sorted, 0.99).toFixed(1)} | ${sorted[sorted.length - 1]!.toFixed(0)} | |`);
console.log(
  `load average at the end: ${(await import('node:os'))
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
