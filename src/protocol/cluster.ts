import { z } from 'zod';

/**
 * Wire shape of the cluster model (mirrors src/core/domain/cluster.ts). A figure PVE does not know is
 * ABSENT from the JSON (never 0): the dashboard renders it as "—".
 */
const optionalNumber = z.number().optional();

export const NodeDtoSchema = z.object({
  name: z.string(),
  status: z.enum(['online', 'offline', 'unknown']),
  nodeid: optionalNumber,
  ip: z.string().optional(),
  votes: z.number(),
  /** CPU busy fraction 0..1. */
  cpu: optionalNumber,
  maxcpu: optionalNumber,
  /** Bytes. */
  mem: optionalNumber,
  maxmem: optionalNumber,
  disk: optionalNumber,
  maxdisk: optionalNumber,
  /** Seconds. */
  uptime: optionalNumber,
});
export type NodeDto = z.infer<typeof NodeDtoSchema>;

export const GuestDtoSchema = z.object({
  vmid: z.number().int(),
  type: z.enum(['qemu', 'lxc']),
  node: z.string(),
  name: z.string().optional(),
  /** running | stopped | paused | suspended | unknown | other PVE run states. */
  status: z.string(),
  template: z.boolean(),
  tags: z.array(z.string()),
  lock: z.string().optional(),
  hastate: z.string().optional(),
  cpu: optionalNumber,
  maxcpu: optionalNumber,
  mem: optionalNumber,
  maxmem: optionalNumber,
  disk: optionalNumber,
  maxdisk: optionalNumber,
  uptime: optionalNumber,
  netin: optionalNumber,
  netout: optionalNumber,
});
export type GuestDto = z.infer<typeof GuestDtoSchema>;

export const StorageDtoSchema = z.object({
  /** `storage/<node>/<storage>` */
  id: z.string(),
  storage: z.string(),
  node: z.string(),
  type: z.string(),
  status: z.enum(['available', 'unknown']),
  shared: z.boolean(),
  content: z.array(z.string()),
  used: optionalNumber,
  total: optionalNumber,
});
export type StorageDto = z.infer<typeof StorageDtoSchema>;

export const QuorumDtoSchema = z.object({
  quorate: z.boolean(),
  nodesTotal: z.number(),
  votesOnline: z.number(),
  votesTotal: z.number(),
  votesNeeded: z.number(),
});
export type QuorumDto = z.infer<typeof QuorumDtoSchema>;

/** A complete view of the cluster at one instant (`takenAt` = epoch ms when PVE was read). */
export const SnapshotDtoSchema = z.object({
  version: z.number().int(),
  takenAt: z.number(),
  clusterName: z.string().optional(),
  quorum: QuorumDtoSchema,
  nodes: z.array(NodeDtoSchema),
  guests: z.array(GuestDtoSchema),
  storage: z.array(StorageDtoSchema),
});
export type SnapshotDto = z.infer<typeof SnapshotDtoSchema>;

/**
 * Metric changes at display precision, columnar and scaled to integers (src/protocol/snapshot-delta.ts):
 * per field a flat array of `key, value` pairs. Guests are keyed by the gap to the previous VMID in
 * the same column (ascending, first gap from 0); nodes by name; storage by id. CPU is in per-mille,
 * byte figures in MiB, uptime in seconds. A field absent from the patch is unchanged (uptime of a
 * running guest or online node advances with `takenAt`).
 */
export const MetricPatchSchema = z.object({
  nodes: z.record(z.string(), z.array(z.union([z.string(), z.number()]))).optional(),
  guests: z.record(z.string(), z.array(z.number())).optional(),
  storage: z.record(z.string(), z.array(z.union([z.string(), z.number()]))).optional(),
});
export type MetricPatch = z.infer<typeof MetricPatchSchema>;

/**
 * Changes from snapshot `fromVersion` to `version`: entities are replaced whole (upsert) or removed
 * by key, and metrics that moved by at least one display unit come in `metrics`. Applying a delta
 * whose `version` is not newer than the client's snapshot is a no-op.
 */
export const SnapshotDeltaSchema = z.object({
  fromVersion: z.number().int(),
  version: z.number().int(),
  takenAt: z.number(),
  clusterName: z.string().optional(),
  quorum: QuorumDtoSchema.optional(),
  upsert: z.object({
    nodes: z.array(NodeDtoSchema),
    guests: z.array(GuestDtoSchema),
    storage: z.array(StorageDtoSchema),
  }),
  remove: z.object({
    nodes: z.array(z.string()),
    guests: z.array(z.number().int()),
    storage: z.array(z.string()),
  }),
  metrics: MetricPatchSchema.optional(),
});
export type SnapshotDelta = z.infer<typeof SnapshotDeltaSchema>;
