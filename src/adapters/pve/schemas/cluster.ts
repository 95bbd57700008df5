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

/** What mapGuest reads of a guest entry: the lenient schema's output, or a plain entry checked in place. */
export type ResourceGuest = z.output<typeof resourceGuestSchema> | PlainResourceGuest;

/** A guest entry as PVE sends it when every figure is a JSON number and `template` is 0/1 or a boolean. */
export interface PlainResourceGuest {
  readonly type: 'qemu' | 'lxc';
  readonly vmid: number;
  readonly node: string;
  readonly status?: string | null | undefined;
  readonly name?: string | null | undefined;
  readonly uptime?: number | null | undefined;
  readonly cpu?: number | null | undefined;
  readonly maxcpu?: number | null | undefined;
  readonly mem?: number | null | undefined;
  readonly maxmem?: number | null | undefined;
  readonly disk?: number | null | undefined;
  readonly maxdisk?: number | null | undefined;
  readonly netin?: number | null | undefined;
  readonly netout?: number | null | undefined;
  readonly template?: 0 | 1 | boolean | null | undefined;
  readonly tags?: string | null | undefined;
  readonly lock?: string | null | undefined;
  readonly hastate?: string | null | undefined;
}

const GUEST_NUMBERS = ['uptime', 'cpu', 'maxcpu', 'mem', 'maxmem', 'disk', 'maxdisk', 'netin', 'netout'] as const;
const GUEST_STRINGS = ['status', 'name', 'tags', 'lock', 'hastate'] as const;

/**
 * The fast path of the poll's hottest decode (4000-10000 guests every 10 s): the usual entry —
 * figures as JSON numbers — is checked in place and used as is, without the copy and the per-field
 * allocations of a schema parse (GC was the largest item of a poll's CPU profile). Anything else
 * (numbers as strings, odd flags, a missing key) returns undefined and goes through
 * resourceGuestSchema. Accepts only what that schema accepts, mapped the same way
 * (cluster-fast-path.test.ts, a property test).
 */
export function plainResourceGuest(entry: unknown): PlainResourceGuest | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const fields = entry as Record<string, unknown>;
  if (fields.type !== 'qemu' && fields.type !== 'lxc') return undefined;
  if (!isFiniteNumber(fields.vmid) || typeof fields.node !== 'string') return undefined;
  for (const key of GUEST_NUMBERS) {
    const value = fields[key];
    if (value !== undefined && value !== null && !isFiniteNumber(value)) return undefined;
  }
  for (const key of GUEST_STRINGS) {
    const value = fields[key];
    if (value !== undefined && value !== null && typeof value !== 'string') return undefined;
  }
  const template = fields.template;
  if (template !== undefined && template !== null && template !== 0 && template !== 1 && typeof template !== 'boolean') return undefined;
  return entry as PlainResourceGuest;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

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
