import type { GuestConfig } from '../../../core/ports/cluster.ts';

/**
 * Guest config: keeps string and finite number values (PVE's flat key -> value map), drops
 * anything else; `digest` is kept (callers pass it back on updates).
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/qemu/{vmid}/config
 */
export function mapGuestConfig(wire: Readonly<Record<string, unknown>>): GuestConfig {
  const config: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(wire)) {
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) config[key] = value;
  }
  return config;
}
