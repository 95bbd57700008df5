/** Shared fixtures for the kernel suites: the seed homelab as a live snapshot. */
import type { Action, Actor, Target } from '../../src/core/domain/action.ts';
import type { ClusterSnapshot, Guest } from '../../src/core/domain/cluster.ts';
import { SEED_TOPOLOGY, type Topology } from '../../src/core/domain/topology.ts';

export const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

export const TOPOLOGY: Topology = {
  ...SEED_TOPOLOGY,
  dockerHosts: { 'docker@103': 103, 'docker@105': 105 },
};

const guest = (vmid: number, name: string, node: string, status: string): Guest => ({ vmid, name, node, status, type: 'qemu', template: false, tags: [] });

/** Four online nodes (4 votes, 3 needed); 103 = management on agent1 (Jarvis). */
export function seedSnapshot(overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  const nodes = ['Home', 'pve', 'agent1', 'agent'].map((name, index) => ({ name, status: 'online' as const, votes: 1, nodeid: index + 1 }));
  return {
    version: 1,
    takenAt: NOW,
    clusterName: 'homelab',
    quorum: { quorate: true, nodesTotal: 4, votesOnline: 4, votesTotal: 4, votesNeeded: 3 },
    nodes,
    guests: [
      guest(101, 'web01', 'pve', 'running'),
      guest(102, 'db01', 'agent', 'stopped'),
      guest(103, 'management', 'agent1', 'running'),
      guest(104, 'backup', 'agent1', 'running'),
      guest(105, 'apps', 'pve', 'running'),
      guest(106, 'media', 'agent', 'running'),
    ],
    storage: ['Home', 'pve', 'agent1', 'agent'].map((node) => ({
      id: `storage/${node}/local`,
      storage: 'local',
      node,
      type: 'dir',
      status: 'available' as const,
      shared: false,
      content: ['iso'],
    })),
    ...overrides,
  };
}

export const USER: Actor = { kind: 'user', id: 'owner' };
export const MODEL: Actor = { kind: 'model', modelId: 'qwen', conversationId: 'c1' };

export function act(kind: Action['kind'], target: Target, params: Record<string, unknown> = {}, actor: Actor = MODEL): Action {
  return { kind, target, params, actor, reason: 'test' };
}
