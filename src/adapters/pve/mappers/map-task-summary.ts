import type { TaskSummary } from '../../../core/ports/cluster.ts';
import type { ClusterTaskWire } from '../schemas/task.ts';

/**
 * Entry of the cluster-wide recent task list; running tasks have no endtime/status.
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/tasks
 */
export function mapTaskSummary(wire: ClusterTaskWire): TaskSummary {
  return {
    upid: wire.upid,
    node: wire.node,
    type: wire.type,
    id: String(wire.id ?? ''),
    user: wire.user,
    starttime: wire.starttime,
    endtime: wire.endtime ?? undefined,
    status: wire.status ?? undefined,
  };
}
