import type { ClusterLogEntry } from '../../../core/ports/cluster.ts';
import type { ClusterLogWire } from '../schemas/task.ts';

/**
 * Cluster log entry (newest first in PVE's list); `user` is '' when PVE omits it.
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/log
 */
export function mapClusterLogEntry(wire: ClusterLogWire): ClusterLogEntry {
  return { time: wire.time, node: wire.node, pri: wire.pri, tag: wire.tag, user: wire.user ?? '', msg: wire.msg };
}
