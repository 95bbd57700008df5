import type { StorageDto } from '../../../src/protocol/index.ts';

/** One row of the storage table: a shared storage once (seen through several nodes), a local one per node. */
export interface StorageRow {
  readonly key: string;
  readonly storage: string;
  readonly type: string;
  readonly shared: boolean;
  /** Nodes it is seen through. */
  readonly nodes: readonly string[];
  /** Live when seen as available through at least one online node. */
  readonly live: boolean;
  readonly entry: StorageDto;
}

/**
 * PVE lists a shared storage (NFS, Ceph...) once per node: show it once, with the figures of a node
 * that is online (all nodes report the same pool). Local storage keeps one row per node.
 */
export function dedupeStorage(storage: readonly StorageDto[], onlineNodes: ReadonlySet<string>): StorageRow[] {
  const rows = new Map<string, { entries: StorageDto[] }>();
  for (const entry of storage) {
    const key = entry.shared ? `shared/${entry.storage}` : entry.id;
    const row = rows.get(key) ?? { entries: [] };
    row.entries.push(entry);
    rows.set(key, row);
  }
  return [...rows.entries()].map(([key, { entries }]) => {
    const liveEntry = entries.find((entry) => onlineNodes.has(entry.node) && entry.status === 'available');
    const entry = liveEntry ?? entries[0]!;
    return {
      key,
      storage: entry.storage,
      type: entry.type,
      shared: entry.shared,
      nodes: entries.map((item) => item.node).sort(),
      live: liveEntry !== undefined,
      entry,
    };
  });
}
