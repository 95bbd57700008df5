import type { BackupVolume } from '../../../core/ports/cluster.ts';
import type { StorageContentWire } from '../schemas/node.ts';

const finite = (value: number | null | undefined): number | undefined => (value !== null && value !== undefined && Number.isFinite(value) ? value : undefined);

/**
 * A storage content entry as a vzdump archive; entries of any other content type map to undefined.
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/storage/{storage}/content
 */
export function mapBackupVolume(node: string, storage: string, wire: StorageContentWire): BackupVolume | undefined {
  if (wire.content !== undefined && wire.content !== null && wire.content !== 'backup') return undefined;
  const vmid = finite(wire.vmid);
  return {
    volid: wire.volid,
    storage,
    node,
    ...(vmid !== undefined && Number.isInteger(vmid) && vmid > 0 ? { vmid } : {}),
    ...(finite(wire.ctime) !== undefined ? { ctime: finite(wire.ctime) } : {}),
    ...(finite(wire.size) !== undefined ? { size: finite(wire.size) } : {}),
    ...(wire.format ? { format: wire.format } : {}),
    ...(wire.subtype ? { subtype: wire.subtype } : {}),
    ...(typeof wire.notes === 'string' ? { notes: wire.notes } : {}),
    protected: wire.protected === true,
  };
}
