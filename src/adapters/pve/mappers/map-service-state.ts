import type { ServiceState } from '../../../core/ports/cluster.ts';
import type { ServiceWire } from '../schemas/node.ts';

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/services/{service}/state */
export function mapServiceState(wire: ServiceWire): ServiceState {
  return {
    service: wire.service,
    name: wire.name ?? wire.service,
    desc: wire.desc ?? '',
    state: wire.state ?? 'unknown',
    activeState: wire['active-state'] ?? 'unknown',
    unitState: wire['unit-state'] ?? 'unknown',
  };
}
