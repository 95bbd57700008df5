import type { StorageStatus } from '../../../core/ports/cluster.ts';
import { splitList } from '../schemas/lenient.ts';
import type { StorageStatusWire } from '../schemas/node.ts';

const flag = (value: boolean | number | null | undefined): boolean => value === true || value === 1;

/**
 * Storage status on one node. Sizes of an inactive storage are undefined (PVE reports 0 or nothing).
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/storage/{storage}/status
 */
export function mapStorageStatus(node: string, storage: string, wire: StorageStatusWire): StorageStatus {
  const active = flag(wire.active);
  return {
    storage: wire.storage ?? storage,
    node,
    type: wire.type,
    enabled: wire.enabled === undefined || wire.enabled === null ? true : flag(wire.enabled),
    active,
    shared: flag(wire.shared),
    content: splitList(wire.content),
    total: active ? (wire.total ?? undefined) : undefined,
    used: active ? (wire.used ?? undefined) : undefined,
    avail: active ? (wire.avail ?? undefined) : undefined,
  };
}
