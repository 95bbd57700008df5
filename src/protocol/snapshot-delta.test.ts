import { describe, expect, it } from 'vitest';
import type { SnapshotDto } from './cluster.ts';
import { SnapshotDtoSchema, SnapshotDeltaSchema } from './cluster.ts';
import { applySnapshotDelta, computeSnapshotDelta } from './snapshot-delta.ts';

const base: SnapshotDto = {
  version: 1,
  takenAt: 1000,
  clusterName: 'homelab',
  quorum: { quorate: true, nodesTotal: 2, votesOnline: 2, votesTotal: 2, votesNeeded: 2 },
  nodes: [
    { name: 'pve', status: 'online', votes: 1, cpu: 0.1 },
    { name: 'agent1', status: 'online', votes: 1 },
  ],
  guests: [
    { vmid: 101, type: 'qemu', node: 'pve', name: 'web', status: 'running', template: false, tags: ['a'] },
    { vmid: 103, type: 'qemu', node: 'agent1', name: 'management', status: 'running', template: false, tags: [] },
  ],
  storage: [{ id: 'storage/pve/local', storage: 'local', node: 'pve', type: 'dir', status: 'available', shared: false, content: ['iso'], used: 1, total: 10 }],
};

describe('snapshot delta', () => {
  it('carries only changed, added and removed entities, and round-trips through apply', () => {
    const next: SnapshotDto = {
      ...base,
      version: 2,
      takenAt: 2000,
      quorum: { ...base.quorum, votesOnline: 1, quorate: false },
      nodes: [{ name: 'pve', status: 'offline', votes: 1 }, base.nodes[1]!],
      guests: [base.guests[1]!, { vmid: 104, type: 'lxc', node: 'agent1', status: 'stopped', template: false, tags: [] }],
    };
    const delta = computeSnapshotDelta(base, next);
    expect(SnapshotDeltaSchema.parse(delta)).toEqual(delta);
    expect(delta.upsert.nodes.map((node) => node.name)).toEqual(['pve']);
    expect(delta.upsert.guests.map((guest) => guest.vmid)).toEqual([104]);
    expect(delta.remove.guests).toEqual([101]);
    expect(delta.upsert.storage).toEqual([]);
    expect(delta.quorum?.quorate).toBe(false);
    const applied = applySnapshotDelta(base, delta);
    expect(SnapshotDtoSchema.parse(applied)).toEqual(applied);
    expect(applied).toEqual({ ...next, guests: [base.guests[1], next.guests[1]] });
  });

  it('detects a changed tag list and a field that became unknown', () => {
    const next: SnapshotDto = { ...base, version: 2, guests: [{ ...base.guests[0]!, tags: ['b'] }, base.guests[1]!], nodes: [{ name: 'pve', status: 'online', votes: 1 }, base.nodes[1]!] };
    const delta = computeSnapshotDelta(base, next);
    expect(delta.upsert.guests.map((guest) => guest.vmid)).toEqual([101]);
    expect(delta.upsert.nodes[0]).toEqual({ name: 'pve', status: 'online', votes: 1 });
    expect(applySnapshotDelta(base, delta).nodes[0]?.cpu).toBeUndefined();
  });

  it('ignores a delta that is not newer than the snapshot', () => {
    const delta = computeSnapshotDelta(base, { ...base, version: 1, nodes: [] });
    expect(applySnapshotDelta(base, delta)).toBe(base);
  });
});
