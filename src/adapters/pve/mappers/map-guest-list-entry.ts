import type { GuestType } from '../../../core/domain/cluster.ts';
import type { GuestListEntry } from '../../../core/ports/cluster.ts';
import type { GuestListEntryWire } from '../schemas/guest.ts';
import { splitTags } from '../schemas/lenient.ts';

/**
 * Entry of a node's guest list (`/nodes/{node}/qemu`, `/lxc`); memory of a stopped guest is undefined.
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/qemu
 */
export function mapGuestListEntry(node: string, type: GuestType, wire: GuestListEntryWire): GuestListEntry {
  return {
    vmid: wire.vmid,
    type,
    node,
    name: wire.name ?? undefined,
    status: wire.status,
    template: wire.template ?? false,
    tags: splitTags(wire.tags),
    lock: wire.lock ?? undefined,
    cpus: wire.cpus ?? undefined,
    maxmem: wire.maxmem ?? undefined,
    mem: wire.status === 'running' ? (wire.mem ?? undefined) : undefined,
    uptime: wire.uptime ?? undefined,
  };
}
