import type { GuestSnapshot } from '../../../core/ports/cluster.ts';
import type { GuestSnapshotWire } from '../schemas/guest.ts';

/**
 * A snapshot list entry; `current` is PVE's "You are here!" pseudo-entry (its snaptime is never set).
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/qemu/{vmid}/snapshot
 */
export function mapGuestSnapshot(wire: GuestSnapshotWire): GuestSnapshot {
  const current = wire.name === 'current';
  return {
    name: wire.name,
    description: wire.description ?? '',
    current,
    ...(!current && wire.snaptime !== null && wire.snaptime !== undefined && Number.isFinite(wire.snaptime) && wire.snaptime > 0
      ? { snaptime: wire.snaptime }
      : {}),
    ...(wire.parent ? { parent: wire.parent } : {}),
    ...(!current && wire.vmstate !== null && wire.vmstate !== undefined ? { vmstate: wire.vmstate } : {}),
  };
}
