import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, Guest } from './cluster.ts';
import { diffSnapshots } from './diff.ts';

const guest = (vmid: number, status: string, node = 'pve'): Guest => ({ vmid, type: 'qemu', node, status, template: false, tags: [] });

function snapshot(version: number, patch: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    version,
    takenAt: version * 1000,
    quorum: { quorate: true, nodesTotal: 2, votesOnline: 2, votesTotal: 2, votesNeeded: 2 },
    nodes: [
      { name: 'pve', status: 'online', votes: 1 },
      { name: 'agent', status: 'online', votes: 1 },
    ],
    guests: [guest(100, 'running'), guest(101, 'stopped')],
    storage: [
      { id: 'storage/pve/local', storage: 'local', node: 'pve', type: 'dir', status: 'available', shared: false, content: ['iso'], used: 50, total: 100 },
    ],
    ...patch,
  };
}

describe('diffSnapshots', () => {
  it('reports nothing for identical snapshots', () => {
    expect(diffSnapshots(snapshot(1), snapshot(2))).toEqual([]);
  });

  it('reports a guest that stopped and one that started', () => {
    const next = snapshot(2, { guests: [guest(100, 'stopped'), guest(101, 'running')] });
    expect(diffSnapshots(snapshot(1), next).map((event) => [event.type, 'vmid' in event ? event.vmid : null])).toEqual([
      ['guest-stopped', 100],
      ['guest-started', 101],
    ]);
  });

  it('reports a node going offline and quorum loss, quorum first', () => {
    const next = snapshot(2, {
      nodes: [
        { name: 'pve', status: 'online', votes: 1 },
        { name: 'agent', status: 'offline', votes: 1 },
      ],
      quorum: { quorate: false, nodesTotal: 2, votesOnline: 1, votesTotal: 2, votesNeeded: 2 },
    });
    expect(diffSnapshots(snapshot(1), next).map((event) => event.type)).toEqual(['quorum-lost', 'node-offline']);
  });

  it('reports a storage crossing its threshold once, and clearing it', () => {
    const full = snapshot(2, { storage: [{ ...snapshot(1).storage[0]!, used: 90 }] });
    const events = diffSnapshots(snapshot(1), full, { storageThreshold: 0.85 });
    expect(events).toMatchObject([{ type: 'storage-threshold-crossed', fraction: 0.9, threshold: 0.85 }]);
    expect(diffSnapshots(full, { ...full, version: 3 }, { storageThreshold: 0.85 })).toEqual([]);
    expect(diffSnapshots(full, snapshot(3)).map((event) => event.type)).toEqual(['storage-threshold-cleared']);
  });

  it('reports a node coming back and quorum regained', () => {
    const down = snapshot(2, {
      nodes: [
        { name: 'pve', status: 'online', votes: 1 },
        { name: 'agent', status: 'offline', votes: 1 },
      ],
      quorum: { quorate: false, nodesTotal: 2, votesOnline: 1, votesTotal: 2, votesNeeded: 2 },
    });
    expect(diffSnapshots(down, snapshot(3))).toEqual([
      { type: 'quorum-regained', at: 3000, votesOnline: 2, votesNeeded: 2 },
      { type: 'node-online', node: 'agent', at: 3000 },
    ]);
  });

  it('reports added and removed nodes and guests, but not against the empty first snapshot (version 0)', () => {
    const next = snapshot(2, {
      nodes: [
        { name: 'pve', status: 'online', votes: 1 },
        { name: 'n3', status: 'online', votes: 1 },
      ],
      guests: [guest(100, 'running'), guest(102, 'stopped', 'n3')],
    });
    expect(diffSnapshots(snapshot(1), next).map((event) => [event.type, 'vmid' in event ? event.vmid : 'node' in event ? event.node : null])).toEqual([
      ['node-added', 'n3'],
      ['node-removed', 'agent'],
      ['guest-added', 102],
      ['guest-removed', 101],
    ]);
    const first = snapshot(0, { nodes: [], guests: [], storage: [], quorum: { quorate: false, nodesTotal: 0, votesOnline: 0, votesTotal: 0, votesNeeded: 1 } });
    expect(diffSnapshots(first, snapshot(1))).toEqual([]);
  });

  it('reports a storage that becomes unavailable', () => {
    const base = snapshot(1).storage[0]!;
    const gone = snapshot(2, {
      storage: [{ id: base.id, storage: base.storage, node: base.node, type: base.type, status: 'unknown', shared: false, content: base.content }],
    });
    expect(diffSnapshots(snapshot(1), gone)).toEqual([{ type: 'storage-unavailable', id: base.id, node: 'pve', storage: 'local', at: 2000 }]);
  });

  it('reports a migration and an unknown status without calling it a stop', () => {
    const next = snapshot(2, { guests: [guest(100, 'unknown', 'agent'), guest(101, 'stopped')] });
    expect(diffSnapshots(snapshot(1), next).map((event) => event.type)).toEqual(['guest-migrated', 'guest-status-changed']);
  });
});
