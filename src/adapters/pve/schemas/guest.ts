import { z } from 'zod';
import { bool01, num, opt } from './lenient.ts';

/** Entry of /nodes/{node}/qemu and /lxc. @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/qemu */
export const guestListEntrySchema = z.object({
  vmid: num,
  status: z.string(),
  name: opt(z.string()),
  cpus: opt(num),
  maxmem: opt(num),
  mem: opt(num),
  uptime: opt(num),
  template: opt(bool01),
  tags: opt(z.string()),
  lock: opt(z.string()),
});
export type GuestListEntryWire = z.output<typeof guestListEntrySchema>;
export const guestListSchema = z.array(guestListEntrySchema);

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/qemu/{vmid}/status/current */
export const guestStatusSchema = guestListEntrySchema.extend({
  qmpstatus: opt(z.string()),
  cpu: opt(num),
  disk: opt(num),
  maxdisk: opt(num),
  ha: opt(z.object({ managed: opt(bool01) })),
  agent: opt(z.union([bool01, z.string()])),
});
export type GuestStatusWire = z.output<typeof guestStatusSchema>;

/** Flat config map. @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/qemu/{vmid}/config */
export const guestConfigSchema = z.record(z.string(), z.unknown());

/**
 * Snapshot list entry (the `current` pseudo-entry included).
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/qemu/{vmid}/snapshot
 */
export const guestSnapshotEntrySchema = z.object({
  name: z.string(),
  description: opt(z.string()),
  snaptime: opt(num),
  parent: opt(z.string()),
  vmstate: opt(bool01),
});
export type GuestSnapshotWire = z.output<typeof guestSnapshotEntrySchema>;
export const guestSnapshotListSchema = z.array(guestSnapshotEntrySchema);
