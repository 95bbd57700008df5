import type { GuestDto, MetricPatch, NodeDto, SnapshotDelta, SnapshotDto, StorageDto } from './cluster.ts';

/**
 * Snapshot deltas at display precision.
 *
 * The server keeps the *published view*: the snapshot every client holds, which is exactly what
 * `applySnapshotDelta` makes of the deltas it sent (the server applies the same function). Each
 * poll it computes the delta from that view to the fresh snapshot:
 * - structure (entity added/removed/moved, status, name, tags, lock, sizes, a figure becoming known
 *   or unknown) is always sent exact, as a whole-entity `upsert`;
 * - a metric (CPU, memory, disk, network counters, uptime, storage used) is sent only when it moved
 *   away from the published value by at least its epsilon (by default one unit of what the
 *   dashboard shows), in the compact columnar `metrics` patch, scaled to integers;
 * - uptime is predicted on both sides (a running guest's or online node's uptime advances with
 *   `takenAt`), so it is only sent when the prediction is off (a reboot, a clock step).
 * So the values a client shows are never further from the truth than one epsilon, and a quiet
 * cluster costs a few bytes per poll whatever its size.
 */

/** Per-field epsilons: a metric is re-sent when it moved at least this far from the published value. */
export interface DeltaPrecision {
  /** CPU busy fraction (0..1); default 0.01 = one displayed percent. */
  readonly cpu: number;
  /** Byte figures: fraction of the value's display unit (B, KiB, MiB, GiB ...); default 0.1 = one displayed decimal. */
  readonly bytesUnitFraction: number;
  /** Seconds of error tolerated in the predicted uptime; default 60 (the dashboard shows minutes at best). */
  readonly uptimeSeconds: number;
}

export const DISPLAY_PRECISION: DeltaPrecision = { cpu: 0.01, bytesUnitFraction: 0.1, uptimeSeconds: 60 };

/** Exact deltas (every change sent), for tests and for clients that want raw figures. */
export const EXACT_PRECISION: DeltaPrecision = { cpu: 0, bytesUnitFraction: 0, uptimeSeconds: 0 };

/** Scale of the integers in a metric patch: CPU in per-mille, bytes in MiB, uptime in seconds. */
const CPU_SCALE = 1000;
const MIB = 2 ** 20;

/** Metric fields of each entity kind, in patch order. Everything else is structure. */
export const NODE_METRICS = ['cpu', 'mem', 'disk', 'uptime'] as const;
export const GUEST_METRICS = ['cpu', 'mem', 'disk', 'netin', 'netout', 'uptime'] as const;
export const STORAGE_METRICS = ['used'] as const;

type NodeMetric = (typeof NODE_METRICS)[number];
type GuestMetric = (typeof GUEST_METRICS)[number];
type MetricName = NodeMetric | GuestMetric | 'used';

function encode(field: MetricName, value: number): number {
  if (field === 'cpu') return Math.round(value * CPU_SCALE);
  if (field === 'uptime') return Math.round(value);
  return Math.round(value / MIB);
}

function decode(field: MetricName, value: number): number {
  if (field === 'cpu') return value / CPU_SCALE;
  if (field === 'uptime') return value;
  return value * MIB;
}

/** One display unit of a byte value (1024^k for the unit `formatBytes` would pick). */
function byteUnit(value: number): number {
  let unit = 1;
  let rest = Math.abs(value);
  while (rest >= 1024 && unit < 1024 ** 5) {
    rest /= 1024;
    unit *= 1024;
  }
  return unit;
}

function epsilon(field: MetricName, value: number, precision: DeltaPrecision): number {
  // Never below the encoding's own step, so a quantised value is not re-sent every poll.
  if (field === 'cpu') return precision.cpu === 0 ? 0 : Math.max(precision.cpu, 1 / CPU_SCALE);
  if (field === 'uptime') return precision.uptimeSeconds === 0 ? 0 : Math.max(precision.uptimeSeconds, 1);
  return precision.bytesUnitFraction === 0 ? 0 : Math.max(MIB, byteUnit(value) * precision.bytesUnitFraction);
}

/** Whole seconds between two snapshots, as both sides compute it for the uptime prediction. */
function elapsedSeconds(fromTakenAt: number, toTakenAt: number): number {
  return Math.max(0, Math.round((toTakenAt - fromTakenAt) / 1000));
}

const sameTags = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((tag, index) => tag === b[index]);

/** True when two nodes differ in anything but their metric values (defined-ness of a metric counts as structure). */
function nodeStructureChanged(a: NodeDto, b: NodeDto): boolean {
  return (
    a.status !== b.status ||
    a.nodeid !== b.nodeid ||
    a.ip !== b.ip ||
    a.votes !== b.votes ||
    a.maxcpu !== b.maxcpu ||
    a.maxmem !== b.maxmem ||
    a.maxdisk !== b.maxdisk ||
    (a.cpu === undefined) !== (b.cpu === undefined) ||
    (a.mem === undefined) !== (b.mem === undefined) ||
    (a.disk === undefined) !== (b.disk === undefined) ||
    (a.uptime === undefined) !== (b.uptime === undefined)
  );
}

function guestStructureChanged(a: GuestDto, b: GuestDto): boolean {
  return (
    a.type !== b.type ||
    a.node !== b.node ||
    a.name !== b.name ||
    a.status !== b.status ||
    a.template !== b.template ||
    a.lock !== b.lock ||
    a.hastate !== b.hastate ||
    a.maxcpu !== b.maxcpu ||
    a.maxmem !== b.maxmem ||
    a.maxdisk !== b.maxdisk ||
    !sameTags(a.tags, b.tags) ||
    (a.cpu === undefined) !== (b.cpu === undefined) ||
    (a.mem === undefined) !== (b.mem === undefined) ||
    (a.disk === undefined) !== (b.disk === undefined) ||
    (a.netin === undefined) !== (b.netin === undefined) ||
    (a.netout === undefined) !== (b.netout === undefined) ||
    (a.uptime === undefined) !== (b.uptime === undefined)
  );
}

function storageStructureChanged(a: StorageDto, b: StorageDto): boolean {
  return (
    a.storage !== b.storage ||
    a.node !== b.node ||
    a.type !== b.type ||
    a.status !== b.status ||
    a.shared !== b.shared ||
    a.total !== b.total ||
    !sameTags(a.content, b.content) ||
    (a.used === undefined) !== (b.used === undefined)
  );
}

const uptimeAdvances = (status: string): boolean => status === 'running' || status === 'online';

/** The value a client holds for `field` after `seconds` with no patch (uptime advances while up). */
function predicted(field: MetricName, value: number, status: string, seconds: number): number {
  return field === 'uptime' && uptimeAdvances(status) ? value + seconds : value;
}

/** Adds `[key, value]` (or `[gap, value]` for numeric keys) to the field's column. */
type Columns = Record<string, (number | string)[]>;

function diffMetrics<E extends object>(
  old: E,
  next: E,
  fields: readonly MetricName[],
  status: string,
  seconds: number,
  precision: DeltaPrecision,
  push: (field: MetricName, encoded: number) => void,
): void {
  for (const field of fields) {
    const before = (old as Record<string, unknown>)[field] as number | undefined;
    const now = (next as Record<string, unknown>)[field] as number | undefined;
    if (before === undefined || now === undefined) continue; // defined-ness changes are structure
    const expected = predicted(field, before, status, seconds);
    const eps = epsilon(field, now, precision);
    if (eps === 0 ? now !== expected : Math.abs(now - expected) >= eps) push(field, eps === 0 ? now : encode(field, now));
  }
}

/**
 * The delta that turns `prev` (the published view) into (an approximation within `precision` of)
 * `next`. Pure. A quiet poll yields empty lists and no patch, still carrying the new `version`
 * and `takenAt`, which keep the dashboard's data age honest.
 */
export function computeSnapshotDelta(prev: SnapshotDto, next: SnapshotDto, precision: DeltaPrecision = DISPLAY_PRECISION): SnapshotDelta {
  const seconds = elapsedSeconds(prev.takenAt, next.takenAt);
  const exact = precision.cpu === 0 && precision.bytesUnitFraction === 0 && precision.uptimeSeconds === 0;

  const nodeUpserts: NodeDto[] = [];
  const nodeColumns: Columns = {};
  const prevNodes = new Map(prev.nodes.map((node) => [node.name, node]));
  for (const node of next.nodes) {
    const old = prevNodes.get(node.name);
    prevNodes.delete(node.name);
    if (!old || nodeStructureChanged(old, node)) {
      nodeUpserts.push(node);
      continue;
    }
    let patched = false;
    diffMetrics(old, node, NODE_METRICS, node.status, seconds, precision, (field, value) => {
      if (exact) patched = true;
      else (nodeColumns[field] ??= []).push(node.name, value);
    });
    if (patched) nodeUpserts.push(node);
  }

  const guestUpserts: GuestDto[] = [];
  const guestColumns: Record<string, number[]> = {};
  const lastVmid: Record<string, number> = {};
  const guestChanged = (old: GuestDto | undefined, guest: GuestDto): void => {
    if (!old || guestStructureChanged(old, guest)) {
      guestUpserts.push(guest);
      return;
    }
    let patched = false;
    diffMetrics(old, guest, GUEST_METRICS, guest.status, seconds, precision, (field, value) => {
      if (exact) {
        patched = true;
        return;
      }
      const column = (guestColumns[field] ??= []);
      column.push(guest.vmid - (lastVmid[field] ?? 0), value);
      lastVmid[field] = guest.vmid;
    });
    if (patched) guestUpserts.push(guest);
  };
  // Ascending VMIDs make the gap coding compact (and let both lists be walked in step, without a map).
  const nextGuests = isAscending(next.guests) ? next.guests : [...next.guests].sort((a, b) => a.vmid - b.vmid);
  const removedGuests: number[] = [];
  if (isAscending(prev.guests)) {
    let at = 0;
    for (const guest of nextGuests) {
      while (at < prev.guests.length && prev.guests[at]!.vmid < guest.vmid) removedGuests.push(prev.guests[at++]!.vmid);
      const old = at < prev.guests.length && prev.guests[at]!.vmid === guest.vmid ? prev.guests[at++] : undefined;
      guestChanged(old, guest);
    }
    while (at < prev.guests.length) removedGuests.push(prev.guests[at++]!.vmid);
  } else {
    const prevGuests = new Map(prev.guests.map((guest) => [guest.vmid, guest]));
    for (const guest of nextGuests) {
      guestChanged(prevGuests.get(guest.vmid), guest);
      prevGuests.delete(guest.vmid);
    }
    removedGuests.push(...prevGuests.keys());
  }

  const storageUpserts: StorageDto[] = [];
  const storageColumns: Columns = {};
  const prevStorage = new Map(prev.storage.map((entry) => [entry.id, entry]));
  for (const entry of next.storage) {
    const old = prevStorage.get(entry.id);
    prevStorage.delete(entry.id);
    if (!old || storageStructureChanged(old, entry)) {
      storageUpserts.push(entry);
      continue;
    }
    let patched = false;
    diffMetrics(old, entry, STORAGE_METRICS, entry.status, seconds, precision, (field, value) => {
      if (exact) patched = true;
      else (storageColumns[field] ??= []).push(entry.id, value);
    });
    if (patched) storageUpserts.push(entry);
  }

  const metrics: MetricPatch = {
    ...(Object.keys(nodeColumns).length > 0 ? { nodes: nodeColumns } : {}),
    ...(Object.keys(guestColumns).length > 0 ? { guests: guestColumns } : {}),
    ...(Object.keys(storageColumns).length > 0 ? { storage: storageColumns } : {}),
  };
  return {
    fromVersion: prev.version,
    version: next.version,
    takenAt: next.takenAt,
    ...(next.clusterName !== undefined ? { clusterName: next.clusterName } : {}),
    ...(sameQuorum(prev.quorum, next.quorum) ? {} : { quorum: next.quorum }),
    upsert: { nodes: nodeUpserts, guests: guestUpserts, storage: storageUpserts },
    remove: { nodes: [...prevNodes.keys()], guests: removedGuests, storage: [...prevStorage.keys()] },
    ...(Object.keys(metrics).length > 0 ? { metrics } : {}),
  };
}

function isAscending(guests: readonly GuestDto[]): boolean {
  for (let index = 1; index < guests.length; index += 1) if (guests[index]!.vmid <= guests[index - 1]!.vmid) return false;
  return true;
}

function sameQuorum(a: SnapshotDto['quorum'], b: SnapshotDto['quorum']): boolean {
  return (
    a.quorate === b.quorate &&
    a.nodesTotal === b.nodesTotal &&
    a.votesOnline === b.votesOnline &&
    a.votesTotal === b.votesTotal &&
    a.votesNeeded === b.votesNeeded
  );
}

/** Decodes a string-keyed column (`[key, value, key, value ...]`) into key -> field -> value. */
function keyedPatch(columns: Readonly<Record<string, readonly (number | string)[]>> | undefined): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  if (!columns) return out;
  for (const [field, column] of Object.entries(columns)) {
    for (let index = 0; index + 1 < column.length; index += 2) {
      const key = String(column[index]);
      const value = column[index + 1];
      if (typeof value !== 'number') continue;
      let entry = out.get(key);
      if (!entry) out.set(key, (entry = {}));
      entry[field] = decode(field as MetricName, value);
    }
  }
  return out;
}

/** Decodes the gap-coded guest columns into vmid -> field -> value. */
function guestPatch(columns: Readonly<Record<string, readonly number[]>> | undefined): Map<number, Record<string, number>> {
  const out = new Map<number, Record<string, number>>();
  if (!columns) return out;
  for (const [field, column] of Object.entries(columns)) {
    let vmid = 0;
    for (let index = 0; index + 1 < column.length; index += 2) {
      vmid += column[index]!;
      let entry = out.get(vmid);
      if (!entry) out.set(vmid, (entry = {}));
      entry[field] = decode(field as MetricName, column[index + 1]!);
    }
  }
  return out;
}

/** Advances an unpatched entity's uptime and applies its patch (new object only when something changed). */
function advance<E extends object>(entity: E, status: string, seconds: number, patch: Record<string, number> | undefined): E {
  const uptime = (entity as { uptime?: number }).uptime;
  const moves = seconds > 0 && uptime !== undefined && uptimeAdvances(status);
  if (!moves && !patch) return entity;
  const out = { ...entity } as E & { uptime?: number };
  if (moves) out.uptime = uptime + seconds;
  if (patch) Object.assign(out, patch);
  return out;
}

function applyList<T, K>(current: readonly T[], upsert: readonly T[], remove: readonly K[], key: (item: T) => K, update: (item: T) => T): T[] {
  const removed = new Set(remove);
  const replaced = new Map(upsert.map((item) => [key(item), item]));
  const out: T[] = [];
  for (const item of current) {
    const id = key(item);
    if (removed.has(id)) continue;
    const replacement = replaced.get(id);
    out.push(replacement ?? update(item));
    replaced.delete(id);
  }
  for (const item of replaced.values()) out.push(item);
  return out;
}

/**
 * Applies `delta` to `snapshot`, returning a new snapshot. Pure, and the same function on server
 * and client, so both hold the same published view. Returns `snapshot` unchanged when the delta is
 * not newer (`delta.version <= snapshot.version`): a delta that raced a fresh snapshot is harmless.
 */
export function applySnapshotDelta(snapshot: SnapshotDto, delta: SnapshotDelta): SnapshotDto {
  if (delta.version <= snapshot.version) return snapshot;
  const seconds = elapsedSeconds(snapshot.takenAt, delta.takenAt);
  const nodePatch = keyedPatch(delta.metrics?.nodes);
  const guestPatches = guestPatch(delta.metrics?.guests);
  const storagePatch = keyedPatch(delta.metrics?.storage);
  return {
    version: delta.version,
    takenAt: delta.takenAt,
    ...(delta.clusterName !== undefined ? { clusterName: delta.clusterName } : snapshot.clusterName !== undefined ? { clusterName: snapshot.clusterName } : {}),
    quorum: delta.quorum ?? snapshot.quorum,
    nodes: applyList(
      snapshot.nodes,
      delta.upsert.nodes,
      delta.remove.nodes,
      (node) => node.name,
      (node) => advance(node, node.status, seconds, nodePatch.get(node.name)),
    ),
    guests: applyList(
      snapshot.guests,
      delta.upsert.guests,
      delta.remove.guests,
      (guest) => guest.vmid,
      (guest) => advance(guest, guest.status, seconds, guestPatches.get(guest.vmid)),
    ),
    storage: applyList(
      snapshot.storage,
      delta.upsert.storage,
      delta.remove.storage,
      (entry) => entry.id,
      (entry) => advance(entry, entry.status, 0, storagePatch.get(entry.id)),
    ),
  };
}
