import type { GuestType } from '../../../core/domain/cluster.ts';
import type { GuestStatusDetail } from '../../../core/ports/cluster.ts';
import type { GuestStatusWire } from '../schemas/guest.ts';
import { splitTags } from '../schemas/lenient.ts';

/**
 * `status/current` of a QEMU VM or LXC container. Memory/disk of a stopped guest and QEMU disk
 * usage (always 0 = unknown) are undefined.
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/qemu/{vmid}/status/current
 */
export function mapGuestStatus(node: string, type: GuestType, wire: GuestStatusWire): GuestStatusDetail {
  const running = wire.status === 'running';
  return {
    vmid: wire.vmid,
    type,
    node,
    name: wire.name ?? undefined,
    status: wire.status,
    qmpstatus: wire.qmpstatus ?? undefined,
    uptime: wire.uptime ?? undefined,
    cpu: wire.cpu ?? undefined,
    cpus: wire.cpus ?? undefined,
    mem: running ? (wire.mem ?? undefined) : undefined,
    maxmem: wire.maxmem ?? undefined,
    disk: running && type === 'lxc' ? (wire.disk ?? undefined) : undefined,
    maxdisk: wire.maxdisk ?? undefined,
    lock: wire.lock ?? undefined,
    tags: splitTags(wire.tags),
    haManaged: wire.ha?.managed ?? false,
    agent: wire.agent === true || (typeof wire.agent === 'string' && /^(1|enabled=1)/.test(wire.agent)),
  };
}
