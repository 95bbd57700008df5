import type { StorageEntry } from '../../../core/domain/cluster.ts';
import type { ResourceStorage } from '../schemas/cluster.ts';
import { splitList } from '../schemas/lenient.ts';

/**
 * Storage entry of /cluster/resources (one per storage and node). Usage is undefined unless
 * PVE has fresh data (`status: available`).
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/resources
 */
export function mapStorageEntry(entry: ResourceStorage): StorageEntry {
  const available = entry.status === 'available';
  return {
    id: entry.id,
    storage: entry.storage,
    node: entry.node,
    type: entry.plugintype ?? 'unknown',
    status: available ? 'available' : 'unknown',
    shared: entry.shared ?? false,
    content: splitList(entry.content),
    used: available ? (entry.disk ?? undefined) : undefined,
    total: available ? (entry.maxdisk ?? undefined) : undefined,
  };
}
