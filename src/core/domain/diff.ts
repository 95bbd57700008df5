import type { ClusterSnapshot, StorageEntry } from './cluster.ts';
import type { ClusterEvent } from './events.ts';

export interface DiffOptions {
  /** Used fraction (0..1) above which a storage raises `storage-threshold-crossed`. */
  readonly storageThreshold: number;
}

export const DEFAULT_DIFF_OPTIONS: DiffOptions = { storageThreshold: 0.85 };

function fraction(entry: StorageEntry): number | undefined {
  if (entry.used === undefined || entry.total === undefined || entry.total <= 0) return undefined;
  return entry.used / entry.total;
}

/**
 * Events that explain how `next` differs from `prev`. Pure; events carry `next.takenAt`.
 * Order: quorum, nodes, guests, storage.
 */
export function diffSnapshots(prev: ClusterSnapshot, next: ClusterSnapshot, options: DiffOptions = DEFAULT_DIFF_OPTIONS): ClusterEvent[] {
  const at = next.takenAt;
  const events: ClusterEvent[] = [];
  const { votesOnline, votesNeeded } = next.quorum;
  if (prev.quorum.quorate && !next.quorum.quorate) events.push({ type: 'quorum-lost', at, votesOnline, votesNeeded });
  if (!prev.quorum.quorate && next.quorum.quorate && prev.version > 0) events.push({ type: 'quorum-regained', at, votesOnline, votesNeeded });

  const prevNodes = new Map(prev.nodes.map((node) => [node.name, node]));
  for (const node of next.nodes) {
    const before = prevNodes.get(node.name);
    prevNodes.delete(node.name);
    if (!before) {
      if (prev.version > 0) events.push({ type: 'node-added', node: node.name, at });
      continue;
    }
    if (before.status === node.status) continue;
    if (node.status === 'offline') events.push({ type: 'node-offline', node: node.name, at });
    else if (node.status === 'online') events.push({ type: 'node-online', node: node.name, at });
    else events.push({ type: 'node-unknown', node: node.name, at });
  }
  for (const gone of prevNodes.values()) events.push({ type: 'node-removed', node: gone.name, at });

  const prevGuests = new Map(prev.guests.map((guest) => [guest.vmid, guest]));
  for (const guest of next.guests) {
    const before = prevGuests.get(guest.vmid);
    prevGuests.delete(guest.vmid);
    if (!before) {
      if (prev.version > 0) events.push({ type: 'guest-added', vmid: guest.vmid, node: guest.node, at });
      continue;
    }
    if (before.node !== guest.node) events.push({ type: 'guest-migrated', vmid: guest.vmid, from: before.node, to: guest.node, at });
    if (before.status === guest.status) continue;
    if (guest.status === 'running' && before.status !== 'unknown') events.push({ type: 'guest-started', vmid: guest.vmid, node: guest.node, at });
    else if (guest.status === 'stopped' && before.status !== 'unknown') events.push({ type: 'guest-stopped', vmid: guest.vmid, node: guest.node, at });
    else events.push({ type: 'guest-status-changed', vmid: guest.vmid, node: guest.node, from: before.status, to: guest.status, at });
  }
  for (const gone of prevGuests.values()) events.push({ type: 'guest-removed', vmid: gone.vmid, node: gone.node, at });

  const prevStorage = new Map(prev.storage.map((entry) => [entry.id, entry]));
  const threshold = options.storageThreshold;
  for (const entry of next.storage) {
    const before = prevStorage.get(entry.id);
    const base = { id: entry.id, node: entry.node, storage: entry.storage, at };
    if (before?.status === 'available' && entry.status !== 'available') {
      events.push({ type: 'storage-unavailable', ...base });
      continue;
    }
    const now = fraction(entry);
    if (now === undefined) continue;
    const then = before ? fraction(before) : undefined;
    if (now >= threshold && (then === undefined || then < threshold)) events.push({ type: 'storage-threshold-crossed', ...base, fraction: now, threshold });
    else if (now < threshold && then !== undefined && then >= threshold) events.push({ type: 'storage-threshold-cleared', ...base, fraction: now, threshold });
  }
  return events;
}
