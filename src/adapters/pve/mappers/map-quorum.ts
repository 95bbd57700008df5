import { votesNeeded, type QuorumState } from '../../../core/domain/cluster.ts';
import type { ClusterStatusEntry } from '../schemas/cluster.ts';

/** Membership facts of one node from /cluster/status. */
export interface ClusterMember {
  readonly name: string;
  readonly nodeid?: number | undefined;
  readonly ip?: string | undefined;
  readonly online: boolean;
  readonly local: boolean;
}

export interface ClusterStatusView {
  readonly clusterName?: string | undefined;
  readonly quorum: QuorumState;
  readonly members: readonly ClusterMember[];
}

/**
 * Quorum and membership from /cluster/status. PVE gives no per-node vote count there, so each
 * member counts one vote (the corosync default). `quorate` is PVE's own verdict; a standalone
 * node (no `cluster` entry) is quorate by definition.
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/status
 */
export function mapClusterStatus(entries: readonly ClusterStatusEntry[]): ClusterStatusView {
  const cluster = entries.find((entry) => entry.type === 'cluster');
  const members = entries
    .filter((entry) => entry.type === 'node' && entry.name)
    .map((entry) => ({
      name: entry.name!,
      nodeid: entry.nodeid ?? undefined,
      ip: entry.ip ?? undefined,
      online: entry.online ?? false,
      local: entry.local ?? false,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const votesTotal = Math.max(cluster?.nodes ?? members.length, members.length);
  const votesOnline = members.filter((member) => member.online).length;
  const quorate = cluster ? (cluster.quorate ?? false) : true;
  return {
    clusterName: cluster?.name ?? undefined,
    quorum: { quorate, nodesTotal: votesTotal, votesOnline, votesTotal, votesNeeded: votesNeeded(votesTotal) },
    members,
  };
}
