import type { ClusterNode, NodeStatus } from '../../../core/domain/cluster.ts';
import type { ResourceNode } from '../schemas/cluster.ts';
import type { ClusterMember } from './map-quorum.ts';

const STATUSES: ReadonlySet<string> = new Set(['online', 'offline', 'unknown']);

/**
 * Node from its /cluster/resources entry and /cluster/status membership. Live metrics (cpu, mem,
 * disk, uptime) are undefined unless the node is online; capacities (max*) linger as PVE reports them.
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/resources
 */
export function mapNode(resource: ResourceNode | undefined, member: ClusterMember | undefined): ClusterNode {
  const name = resource?.node ?? member?.name ?? '';
  const reported = resource?.status ?? (member ? (member.online ? 'unknown' : 'offline') : 'unknown');
  const status = (STATUSES.has(reported) ? reported : 'unknown') as NodeStatus;
  const live = status === 'online';
  return {
    name,
    status,
    nodeid: member?.nodeid,
    ip: member?.ip,
    votes: 1,
    cpu: live ? (resource?.cpu ?? undefined) : undefined,
    mem: live ? (resource?.mem ?? undefined) : undefined,
    disk: live ? (resource?.disk ?? undefined) : undefined,
    uptime: live ? (resource?.uptime ?? undefined) : undefined,
    maxcpu: resource?.maxcpu ?? undefined,
    maxmem: resource?.maxmem ?? undefined,
    maxdisk: resource?.maxdisk ?? undefined,
  };
}
