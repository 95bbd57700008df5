/**
 * The one way Jarvis names a guest for humans and models: a QEMU guest is `VM 103`, an LXC
 * container `CT 207` (Proxmox's own words), and a guest whose kind is not known (not in the
 * snapshot) `guest 999`. Every surface (previews, audit rows, approval cards, tool results, chat
 * cards, notifications, the CLI) names guests through this function.
 */
import type { GuestType } from './cluster.ts';

export function guestName(type: GuestType | undefined, vmid: number): string {
  switch (type) {
    case 'qemu':
      return `VM ${vmid}`;
    case 'lxc':
      return `CT ${vmid}`;
    default:
      return `guest ${vmid}`;
  }
}

/** The kind of guest `vmid` in a snapshot (or any list of guests), if it is there. */
export function guestTypeIn(guests: readonly { readonly vmid: number; readonly type: GuestType }[] | undefined, vmid: number): GuestType | undefined {
  return guests?.find((guest) => guest.vmid === vmid)?.type;
}
