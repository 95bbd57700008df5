import type { ClusterNode, ClusterSnapshot, Guest, StorageEntry } from '../../../core/domain/cluster.ts';
import { err, ok, type JarvisError, type Result } from '../../../core/errors.ts';
import { decode } from '../decode.ts';
import {
  plainResourceGuest,
  resourceGuestSchema,
  resourceNodeSchema,
  resourceStorageSchema,
  type ClusterStatusEntry,
  type ResourceNode,
} from '../schemas/cluster.ts';
import { mapGuest } from './map-guest.ts';
import { mapNode } from './map-node.ts';
import { mapClusterStatus } from './map-quorum.ts';
import { mapStorageEntry } from './map-storage-entry.ts';

/**
 * Builds a snapshot (minus version/takenAt) from /cluster/status and the /cluster/resources list.
 * Entries are decoded one by one, dispatched on `type`; pool/sdn/network entries are ignored.
 * Nodes known only to /cluster/status are still listed. Guests and nodes are sorted.
 */
export function mapSnapshot(
  statusEntries: readonly ClusterStatusEntry[],
  resources: readonly unknown[],
): Result<Omit<ClusterSnapshot, 'version' | 'takenAt'>, JarvisError> {
  const view = mapClusterStatus(statusEntries);
  const guests: Guest[] = [];
  const storage: StorageEntry[] = [];
  const nodeResources = new Map<string, ResourceNode>();
  for (let index = 0; index < resources.length; index += 1) {
    const entry = resources[index];
    const type = typeof entry === 'object' && entry !== null ? (entry as { type?: unknown }).type : undefined;
    if (type === 'qemu' || type === 'lxc') {
      const plain = plainResourceGuest(entry);
      if (plain) {
        guests.push(mapGuest(plain));
        continue;
      }
      const guest = decode(resourceGuestSchema, entry, entryLabel(index));
      if (!guest.ok) return err(guest.error);
      guests.push(mapGuest(guest.value));
    } else if (type === 'node') {
      const node = decode(resourceNodeSchema, entry, entryLabel(index));
      if (!node.ok) return err(node.error);
      nodeResources.set(node.value.node, node.value);
    } else if (type === 'storage') {
      const item = decode(resourceStorageSchema, entry, entryLabel(index));
      if (!item.ok) return err(item.error);
      storage.push(mapStorageEntry(item.value));
    }
  }
  const members = new Map(view.members.map((member) => [member.name, member]));
  const names = [...new Set([...members.keys(), ...nodeResources.keys()])].sort((a, b) => a.localeCompare(b));
  const nodes: ClusterNode[] = names.map((name) => mapNode(nodeResources.get(name), members.get(name)));
  guests.sort((a, b) => a.vmid - b.vmid);
  storage.sort((a, b) => a.id.localeCompare(b.id));
  return ok({ clusterName: view.clusterName, quorum: view.quorum, nodes, guests, storage });
}

/** Where a failed entry was, for its error (built only on failure: the guest fast path needs none). */
function entryLabel(index: number): string {
  return `GET /cluster/resources [${index}]`;
}
