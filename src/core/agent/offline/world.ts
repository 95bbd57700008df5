/** Builds the parser's `OfflineWorld` from a cluster snapshot (pure). */
import type { ClusterSnapshot } from '../../domain/cluster.ts';
import type { OfflineWorld } from './types.ts';

export function offlineWorld(
  snapshot: ClusterSnapshot | undefined,
  extra: { readonly containers?: readonly string[] | undefined; readonly pendingTickets?: OfflineWorld['pendingTickets'] } = {},
): OfflineWorld {
  return {
    nodes: (snapshot?.nodes ?? []).map((node) => ({ name: node.name, status: node.status })),
    guests: (snapshot?.guests ?? [])
      .filter((guest) => !guest.template)
      .map((guest) => ({ vmid: guest.vmid, name: guest.name, node: guest.node, type: guest.type, status: guest.status })),
    ...(extra.containers ? { containers: extra.containers } : {}),
    ...(extra.pendingTickets ? { pendingTickets: extra.pendingTickets } : {}),
  };
}
