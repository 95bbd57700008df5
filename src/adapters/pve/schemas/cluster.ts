import { z } from 'zod';
import { bool01, num, opt } from './lenient.ts';

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/status */
export const clusterStatusEntrySchema = z.object({
  type: z.string(),
  name: opt(z.string()),
  quorate: opt(bool01),
  nodes: opt(num),
  nodeid: opt(num),
  ip: opt(z.string()),
  local: opt(bool01),
  online: opt(bool01),
});
export const clusterStatusSchema = z.array(clusterStatusEntrySchema);
export type ClusterStatusEntry = z.output<typeof clusterStatusEntrySchema>;

/** Fields of a guest entry of /cluster/resources, over a number decoder and a 0/1 flag decoder. */
const guestShape = <N extends z.ZodType, F extends z.ZodType>(number: N, flag: F) => ({
  type: z.enum(['qemu', 'lxc']),
  vmid: number,
  node: z.string(),
  status: opt(z.string()),
  name: opt(z.string()),
  uptime: opt(number),
  cpu: opt(number),
  maxcpu: opt(number),
  mem: opt(number),
  maxmem: opt(number),
  disk: opt(number),
  maxdisk: opt(number),
  netin: opt(number),
  netout: opt(number),
  template: opt(flag),
  tags: opt(z.string()),
  lock: opt(z.string()),
  hastate: opt(z.string()),
});

/** Guest entry (`type` qemu|lxc) of /cluster/resources. @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/resources */
export const resourceGuestSchema = z.object(guestShape(num, bool01));

/**
 * Fast path for the same entry when PVE sent plain JSON numbers (the usual case for this
 * endpoint): ~4x cheaper than the lenient unions on 4000 real-shaped entries (docs/benchmarks.md).
 * Entries it rejects are decoded with `resourceGuestSchema`; both outputs map the same way.
 */
export const resourceGuestFastSchema = z.object(guestShape(z.number(), z.union([z.literal(0), z.literal(1), z.boolean()])));
export type ResourceGuest = z.output<typeof resourceGuestSchema> | z.output<typeof resourceGuestFastSchema>;

/** Node entry of /cluster/resources. */
export const resourceNodeSchema = z.object({
  node: z.string(),
  status: opt(z.string()),
  uptime: opt(num),
  cpu: opt(num),
  maxcpu: opt(num),
  mem: opt(num),
  maxmem: opt(num),
  disk: opt(num),
  maxdisk: opt(num),
});
export type ResourceNode = z.output<typeof resourceNodeSchema>;

/** Storage entry of /cluster/resources. */
export const resourceStorageSchema = z.object({
  id: z.string(),
  storage: z.string(),
  node: z.string(),
  plugintype: opt(z.string()),
  status: opt(z.string()),
  shared: opt(bool01),
  content: opt(z.string()),
  disk: opt(num),
  maxdisk: opt(num),
});
export type ResourceStorage = z.output<typeof resourceStorageSchema>;

/**
 * The list itself; each entry is decoded by mapSnapshot with the schema for its `type`
 * (pool/sdn/network entries are ignored). Entries stay unknown here: copying 4000 loose objects
 * just to read `type` cost more than decoding them (measured, docs/benchmarks.md).
 */
export const clusterResourcesSchema = z.array(z.unknown());
