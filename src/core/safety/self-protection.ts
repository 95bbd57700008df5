/**
 * Defence in depth (issue 3 item 12): Proxmox's own `protection=1` flag on the management VM
 * stops PVE itself from removing it or its disks. `jarvis doctor` reports it through this check.
 */
import type { GuestConfig } from '../ports/cluster.ts';

export interface SelfProtectionCheck {
  readonly ok: boolean;
  readonly message: string;
}

/** Checks the management VM's PVE config for `protection: 1`. */
export function checkSelfProtection(config: GuestConfig, vmid = 103): SelfProtectionCheck {
  const value = config.protection;
  if (value === 1 || value === '1') return { ok: true, message: `VM ${vmid} has PVE protection=1 (it cannot be removed by accident)` };
  return {
    ok: false,
    message: `VM ${vmid} lacks PVE's protection flag; recommended: \`qm set ${vmid} --protection 1\` (defence in depth beside Jarvis's own protected list)`,
  };
}
