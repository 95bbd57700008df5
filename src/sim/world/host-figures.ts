/**
 * Host-level figures for SimHostView (what `free`, `df` and `journalctl` show on a node), derived
 * from the same state the PVE API serves so that SSH diagnostics agree with /nodes/{n}/status.
 */
import type { SimDisk, SimJournalEntry, SimMemory } from '../host-view.ts';
import type { NodeState, StorageState } from './types.ts';

export function memoryOf(node: NodeState | undefined): SimMemory {
  if (!node) return { total: 0, used: 0, free: 0, available: 0, swapTotal: 0, swapUsed: 0 };
  const available = node.memTotal - node.memUsed;
  return { total: node.memTotal, used: node.memUsed, free: Math.round(available * 0.6), available, swapTotal: node.swapTotal, swapUsed: node.swapUsed };
}

/** Root fs, EFI partition and the NFS mounts of the storages the node sees. */
export function disksOf(node: NodeState | undefined, storages: readonly StorageState[]): SimDisk[] {
  if (!node) return [];
  const out: SimDisk[] = [
    { filesystem: '/dev/mapper/pve-root', mount: '/', sizeBytes: node.rootTotal, usedBytes: node.rootUsed },
    { filesystem: '/dev/nvme0n1p2', mount: '/boot/efi', sizeBytes: 1_071_624_192, usedBytes: 360_448 },
  ];
  for (const storage of storages) {
    if (storage.type === 'nfs' && storage.active !== false)
      out.push({
        filesystem: `192.168.1.10:/volume1/${storage.storage}`,
        mount: `/mnt/pve/${storage.storage}`,
        sizeBytes: storage.total,
        usedBytes: storage.used,
      });
  }
  return out;
}

/** Journal entries filtered like `journalctl -u UNIT --since ... -n LIMIT` (unit matches unit or identifier). */
export function filterJournal(
  entries: readonly SimJournalEntry[],
  filter: { unit?: string | undefined; sinceEpoch?: number | undefined; limit?: number | undefined },
): SimJournalEntry[] {
  let out = [...entries];
  if (filter.unit !== undefined) out = out.filter((entry) => entry.unit === filter.unit || entry.identifier === filter.unit);
  if (filter.sinceEpoch !== undefined) out = out.filter((entry) => entry.time >= filter.sinceEpoch!);
  return filter.limit !== undefined ? out.slice(-filter.limit) : out;
}
