import type { GuestDto, NodeDto, SnapshotDelta, SnapshotDto, StorageDto } from './cluster.ts';

/** Shallow equality for flat entity objects whose values are primitives or arrays of primitives. */
function sameEntity(a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    const x = left[key];
    const y = right[key];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((item, index) => item !== y[index])) return false;
    } else if (x !== y) return false;
  }
  return true;
}

function diffList<T extends object, K>(prev: readonly T[], next: readonly T[], key: (item: T) => K): { upsert: T[]; remove: K[] } {
  const before = new Map(prev.map((item) => [key(item), item]));
  const upsert: T[] = [];
  for (const item of next) {
    const old = before.get(key(item));
    before.delete(key(item));
    if (!old || !sameEntity(old, item)) upsert.push(item);
  }
  return { upsert, remove: [...before.keys()] };
}

const sameQuorum = (a: SnapshotDto['quorum'], b: SnapshotDto['quorum']): boolean => sameEntity(a, b);

/**
 * The delta that turns `prev` into `next`. Pure. Entities are compared field by field; unchanged
 * ones are left out, so a quiet poll yields a delta with empty lists (still useful: it carries
 * the new `version` and `takenAt`, which keep the dashboard's data age honest).
 */
export function computeSnapshotDelta(prev: SnapshotDto, next: SnapshotDto): SnapshotDelta {
  const nodes = diffList<NodeDto, string>(prev.nodes, next.nodes, (node) => node.name);
  const guests = diffList<GuestDto, number>(prev.guests, next.guests, (guest) => guest.vmid);
  const storage = diffList<StorageDto, string>(prev.storage, next.storage, (entry) => entry.id);
  return {
    fromVersion: prev.version,
    version: next.version,
    takenAt: next.takenAt,
    ...(next.clusterName !== undefined ? { clusterName: next.clusterName } : {}),
    ...(sameQuorum(prev.quorum, next.quorum) ? {} : { quorum: next.quorum }),
    upsert: { nodes: nodes.upsert, guests: guests.upsert, storage: storage.upsert },
    remove: { nodes: nodes.remove, guests: guests.remove, storage: storage.remove },
  };
}

function applyList<T, K>(current: readonly T[], upsert: readonly T[], remove: readonly K[], key: (item: T) => K): T[] {
  const removed = new Set(remove);
  const replaced = new Map(upsert.map((item) => [key(item), item]));
  const out: T[] = [];
  for (const item of current) {
    const id = key(item);
    if (removed.has(id)) continue;
    const replacement = replaced.get(id);
    out.push(replacement ?? item);
    replaced.delete(id);
  }
  for (const item of replaced.values()) out.push(item);
  return out;
}

/**
 * Applies `delta` to `snapshot`, returning a new snapshot. Pure. Returns `snapshot` unchanged when
 * the delta is not newer (`delta.version <= snapshot.version`): deltas are idempotent, so a delta
 * that raced a fresh snapshot is harmless.
 */
export function applySnapshotDelta(snapshot: SnapshotDto, delta: SnapshotDelta): SnapshotDto {
  if (delta.version <= snapshot.version) return snapshot;
  return {
    version: delta.version,
    takenAt: delta.takenAt,
    ...(delta.clusterName !== undefined ? { clusterName: delta.clusterName } : snapshot.clusterName !== undefined ? { clusterName: snapshot.clusterName } : {}),
    quorum: delta.quorum ?? snapshot.quorum,
    nodes: applyList(snapshot.nodes, delta.upsert.nodes, delta.remove.nodes, (node) => node.name),
    guests: applyList(snapshot.guests, delta.upsert.guests, delta.remove.guests, (guest) => guest.vmid),
    storage: applyList(snapshot.storage, delta.upsert.storage, delta.remove.storage, (entry) => entry.id),
  };
}
