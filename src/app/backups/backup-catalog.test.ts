import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, StorageEntry } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok } from '../../core/errors.ts';
import type { BackupVolume } from '../../core/ports/cluster.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { createEventBus } from '../events/event-bus.ts';
import { backupListings, createBackupCatalog } from './backup-catalog.ts';

const NODES = ['b-node', 'a-node', 'c-node'];
function storageEntry(storage: string, node: string, shared: boolean, content: string[], status: 'available' | 'unknown' = 'available'): StorageEntry {
  return { id: `storage/${node}/${storage}`, storage, node, type: shared ? 'nfs' : 'dir', status, shared, content };
}
function snapshot(storage: StorageEntry[], offline: string[] = []): ClusterSnapshot {
  return {
    version: 1,
    takenAt: 0,
    clusterName: 'c',
    quorum: { quorate: true, nodesTotal: 3, votesOnline: 3, votesTotal: 3, votesNeeded: 2 },
    nodes: NODES.map((name) => ({ name, status: offline.includes(name) ? 'offline' : 'online', votes: 1 })) as unknown as ClusterSnapshot['nodes'],
    guests: [],
    storage,
  };
}
const homelab = () =>
  snapshot([
    ...NODES.flatMap((node) => [
      storageEntry('nas', node, true, ['backup', 'iso']),
      storageEntry('local', node, false, ['iso', 'backup']),
      storageEntry('local-lvm', node, false, ['images']),
    ]),
  ]);

describe('backupListings', () => {
  it('lists a shared storage once (first online node by name) and a local one per node; skips storages without backup content', () => {
    expect(backupListings(homelab())).toEqual([
      { storage: 'nas', node: 'a-node', shared: true, available: true },
      { storage: 'local', node: 'a-node', shared: false, available: true },
      { storage: 'local', node: 'b-node', shared: false, available: true },
      { storage: 'local', node: 'c-node', shared: false, available: true },
    ]);
  });

  it('lists a shared storage through another node when the first is offline or does not see it', () => {
    const listings = backupListings(
      snapshot(
        [
          storageEntry('nas', 'a-node', true, ['backup'], 'unknown'),
          storageEntry('nas', 'b-node', true, ['backup']),
          storageEntry('nas', 'c-node', true, ['backup']),
        ],
        ['b-node'],
      ),
    );
    expect(listings).toEqual([{ storage: 'nas', node: 'c-node', shared: true, available: true }]);
    expect(backupListings(snapshot([storageEntry('nas', 'a-node', true, ['backup'], 'unknown')]))).toEqual([
      { storage: 'nas', node: 'a-node', shared: true, available: false },
    ]);
  });
});

describe('createBackupCatalog', () => {
  function setup(current: ClusterSnapshot = homelab()) {
    let now = 1_000_000;
    const calls: string[] = [];
    const failing = new Set<string>();
    const volume = (node: string, storage: string, vmid: number, ctime: number): BackupVolume => ({
      volid: `${storage}:backup/vzdump-qemu-${vmid}-${ctime}.vma.zst`,
      storage,
      node,
      vmid,
      ctime,
      protected: false,
    });
    const cluster = {
      backupVolumes: async (node: string, storage: string) => {
        calls.push(`${node}/${storage}`);
        if (failing.has(storage)) return err(jarvisError('PVE_ERROR', `storage '${storage}' is not online`));
        return ok(
          storage === 'nas' ? [volume(node, storage, 101, 500), volume(node, storage, 102, 900)] : [volume(node, storage, 200 + NODES.indexOf(node), 700)],
        );
      },
    };
    const catalog = createBackupCatalog({
      cluster,
      snapshot: () => current,
      clock: { now: () => now },
      logger: silentLogger,
      maxAgeMs: 600_000,
      minIntervalMs: 30_000,
    });
    return { catalog, calls, failing, advance: (ms: number) => (now += ms), now: () => now };
  }

  it('reads on demand, one call per listing, newest archive first, and serves the cache until it is maxAgeMs old', async () => {
    const { catalog, calls, advance } = setup();
    const first = await catalog.get();
    expect(calls.sort()).toEqual(['a-node/local', 'a-node/nas', 'b-node/local', 'c-node/local']);
    expect(first.volumes.map((entry) => entry.volid)).toEqual([
      'nas:backup/vzdump-qemu-102-900.vma.zst',
      ...first.volumes.slice(1).map((entry) => entry.volid),
    ]);
    expect(first.volumes.find((entry) => entry.vmid === 102)).toMatchObject({ createdAt: 900_000, shared: true });
    expect(first.volumes.filter((entry) => entry.vmid === 101)).toHaveLength(1);
    advance(599_000);
    await catalog.get();
    expect(calls).toHaveLength(4);
    advance(1_000);
    await catalog.get();
    expect(calls).toHaveLength(8);
  });

  it('re-reads after a vzdump task ended (not before minIntervalMs), and ignores other tasks', async () => {
    const { catalog, calls, advance } = setup();
    const bus = createEventBus(silentLogger);
    const off = catalog.subscribe(bus);
    await catalog.get();
    bus.publish('task.finished', { id: 'UPID:x', node: 'a-node', type: 'qmstart', startedAt: 0, status: 'OK', byJarvis: false });
    advance(60_000);
    await catalog.get();
    expect(calls).toHaveLength(4);
    bus.publish('task.finished', { id: 'UPID:y', node: 'a-node', type: 'vzdump', vmid: 101, startedAt: 0, status: 'OK', byJarvis: false });
    await catalog.get();
    expect(calls).toHaveLength(8);
    bus.publish('task.finished', { id: 'UPID:z', node: 'a-node', type: 'vzdump', vmid: 102, startedAt: 0, status: 'OK', byJarvis: false });
    advance(10_000);
    await catalog.get();
    expect(calls).toHaveLength(8); // within minIntervalMs of the last read
    advance(20_000);
    await catalog.get();
    expect(calls).toHaveLength(12);
    off();
  });

  it('reports a failed listing next to the ones that worked; concurrent callers share one read', async () => {
    const { catalog, calls, failing } = setup();
    failing.add('nas');
    const [a, b] = await Promise.all([catalog.get(), catalog.get()]);
    expect(a).toBe(b);
    expect(calls).toHaveLength(4);
    expect(a.storages.find((entry) => entry.storage === 'nas')).toMatchObject({ ok: false, count: 0, error: expect.stringContaining('not online') });
    expect(a.storages.filter((entry) => entry.ok)).toHaveLength(3);
    expect(a.volumes.map((entry) => entry.vmid).sort()).toEqual([200, 201, 202]);
  });

  it('answers an empty catalog before the first poll, without calling PVE', async () => {
    let calls = 0;
    const catalog = createBackupCatalog({
      cluster: { backupVolumes: async () => ((calls += 1), ok([])) },
      snapshot: () => null,
      clock: { now: () => 1 },
      logger: silentLogger,
    });
    expect(await catalog.get()).toEqual({ volumes: [], storages: [], maxAgeMs: 600_000 });
    expect(calls).toBe(0);
  });
});
