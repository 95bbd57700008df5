import { z } from 'zod';

/**
 * GET /api/guests/:vmid/detail (viewer and up): the guest's snapshots and its notes (PVE config
 * `description`), read from PVE on demand. GET /api/backups: vzdump archives on the backup
 * storages (one listing per shared storage), cached on a slow cadence by the server.
 * Every string here is cluster text: render it as plain text, never as HTML or markdown.
 */
export const GuestDetailParamsSchema = z.object({
  vmid: z.coerce.number().int().min(100).max(999_999_999),
});

export const GuestSnapshotDtoSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** Epoch ms; absent on the `current` entry. */
  takenAt: z.number().optional(),
  parent: z.string().optional(),
  /** RAM state included (qemu). */
  vmstate: z.boolean().optional(),
  /** PVE's "You are here!" entry: the guest's current state (its `parent` is the snapshot it derives from). */
  current: z.boolean(),
});
export type GuestSnapshotDto = z.infer<typeof GuestSnapshotDtoSchema>;

export const GuestDetailDtoSchema = z.object({
  vmid: z.number(),
  node: z.string(),
  type: z.enum(['qemu', 'lxc']),
  /** The config `description` (notes), verbatim; absent when the guest has none. */
  notes: z.string().optional(),
  /** Oldest first, `current` last. */
  snapshots: z.array(GuestSnapshotDtoSchema),
  /** Epoch ms the server read PVE. */
  readAt: z.number(),
});
export type GuestDetailDto = z.infer<typeof GuestDetailDtoSchema>;

export const BackupVolumeDtoSchema = z.object({
  volid: z.string(),
  storage: z.string(),
  /** Node it was listed through; for a shared storage any node (listed once). */
  node: z.string(),
  shared: z.boolean(),
  vmid: z.number().optional(),
  /** Epoch ms the archive was written. */
  createdAt: z.number().optional(),
  size: z.number().optional(),
  format: z.string().optional(),
  notes: z.string().optional(),
  protected: z.boolean(),
});
export type BackupVolumeDto = z.infer<typeof BackupVolumeDtoSchema>;

export const BackupStorageReadDtoSchema = z.object({
  storage: z.string(),
  node: z.string(),
  shared: z.boolean(),
  ok: z.boolean(),
  /** Why the listing failed (ok false). */
  error: z.string().optional(),
  count: z.number(),
});

export const BackupsDtoSchema = z.object({
  volumes: z.array(BackupVolumeDtoSchema),
  /** One entry per storage listing made (a shared storage once, a local one per node). */
  storages: z.array(BackupStorageReadDtoSchema),
  /** Epoch ms of the listing; absent before the first one. */
  readAt: z.number().optional(),
  /** The server re-lists storages at most this often (ms) unless a backup task ended. */
  maxAgeMs: z.number(),
});
export type BackupsDto = z.infer<typeof BackupsDtoSchema>;
