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

/** Guest entry (`type` qemu|lxc) of /cluster/resources. @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/resources */
export const resourceGuestSchema = z.object({
  type: z.enum(['qemu', 'lxc']),
  vmid: num,
  node: z.string(),
  status: opt(z.string()),
  name: opt(z.string()),
  uptime: opt(num),
  cpu: opt(num),
  maxcpu: opt(num),
  mem: opt(num),
  maxmem: opt(num),
  disk: opt(num),
  maxdisk: opt(num),
  netin: opt(num),
  netout: opt(num),
  template: opt(bool01),
  tags: opt(z.string()),
  lock: opt(z.string()),
  hastate: opt(z.string()),
});
export type ResourceGuest = z.output<typeof resourceGuestSchema>;

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
