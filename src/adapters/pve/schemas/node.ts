import { z } from 'zod';
import { bool01, num, opt } from './lenient.ts';

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/status */
export const nodeStatusSchema = z.object({
  uptime: num,
  cpu: num,
  wait: opt(num),
  loadavg: z.array(num).length(3),
  memory: z.object({ total: num, used: num, free: num, available: opt(num) }),
  swap: opt(z.object({ total: num, used: num, free: num })),
  rootfs: z.object({ total: num, used: num, free: num, avail: num }),
  cpuinfo: opt(z.object({ model: opt(z.string()), cpus: opt(num) })),
  kversion: opt(z.string()),
  pveversion: opt(z.string()),
});
export type NodeStatusWire = z.output<typeof nodeStatusSchema>;

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/rrddata */
export const rrdSchema = z.array(z.object({ time: num }).catchall(z.unknown()));
export type RrdWire = z.output<typeof rrdSchema>;

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/version */
export const versionSchema = z.object({ version: z.string(), release: z.string(), repoid: opt(z.string()) });

/** `{n, t}` lines of syslog and task logs. @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/syslog */
export const logLinesSchema = z.array(z.object({ n: num, t: z.string() }));

/** Journal: text lines (first and last are cursors). @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/journal */
export const journalSchema = z.array(z.string());

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/services */
export const serviceSchema = z.object({
  service: z.string(),
  name: opt(z.string()),
  desc: opt(z.string()),
  state: opt(z.string()),
  'active-state': opt(z.string()),
  'unit-state': opt(z.string()),
});
export type ServiceWire = z.output<typeof serviceSchema>;
export const servicesSchema = z.array(serviceSchema);

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/storage */
export const storageStatusSchema = z.object({
  storage: opt(z.string()),
  type: z.string(),
  content: opt(z.string()),
  enabled: opt(z.union([z.boolean(), num])),
  active: opt(z.union([z.boolean(), num])),
  shared: opt(z.union([z.boolean(), num])),
  total: opt(num),
  used: opt(num),
  avail: opt(num),
});
export type StorageStatusWire = z.output<typeof storageStatusSchema>;
export const storageListSchema = z.array(storageStatusSchema);

/**
 * Storage content entry (`content=backup` lists vzdump archives).
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/storage/{storage}/content
 */
export const storageContentEntrySchema = z.object({
  volid: z.string(),
  content: opt(z.string()),
  vmid: opt(num),
  ctime: opt(num),
  size: opt(num),
  format: opt(z.string()),
  subtype: opt(z.string()),
  notes: opt(z.string()),
  protected: opt(bool01),
});
export type StorageContentWire = z.output<typeof storageContentEntrySchema>;
export const storageContentSchema = z.array(storageContentEntrySchema);
