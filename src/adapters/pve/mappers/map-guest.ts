import type { Guest } from '../../../core/domain/cluster.ts';
import type { ResourceGuest } from '../schemas/cluster.ts';
import { splitTags } from '../schemas/lenient.ts';

/**
 * Guest from its /cluster/resources entry. Unknown figures are undefined, never 0: QEMU `disk` is
 * always 0 there (PVE does not know it), a stopped guest has no memory or disk usage, and a guest
 * without fresh data (`status: unknown`) has no metrics at all.
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/resources
 */
export function mapGuest(entry: ResourceGuest): Guest {
  const status = entry.status ?? 'unknown';
  const running = status !== 'stopped' && status !== 'unknown';
  const known = status !== 'unknown';
  return {
    vmid: entry.vmid,
    type: entry.type,
    node: entry.node,
    name: entry.name ?? undefined,
    status,
    template: entry.template === true || entry.template === 1,
    tags: splitTags(entry.tags),
    lock: entry.lock ?? undefined,
    hastate: entry.hastate ?? undefined,
    cpu: known ? (entry.cpu ?? undefined) : undefined,
    maxcpu: entry.maxcpu ?? undefined,
    mem: running ? (entry.mem ?? undefined) : undefined,
    maxmem: entry.maxmem ?? undefined,
    disk: running && entry.type === 'lxc' ? (entry.disk ?? undefined) : undefined,
    maxdisk: entry.maxdisk ?? undefined,
    uptime: known ? (entry.uptime ?? undefined) : undefined,
    netin: running ? (entry.netin ?? undefined) : undefined,
    netout: running ? (entry.netout ?? undefined) : undefined,
  };
}
