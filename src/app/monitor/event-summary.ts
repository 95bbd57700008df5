import type { ClusterEvent } from '../../core/domain/events.ts';
import type { EventDto } from '../../protocol/events.ts';

type Severity = EventDto['severity'];

const SEVERITY: Record<ClusterEvent['type'], Severity> = {
  'node-offline': 'critical',
  'node-online': 'info',
  'node-unknown': 'warning',
  'node-added': 'info',
  'node-removed': 'warning',
  'quorum-lost': 'critical',
  'quorum-regained': 'info',
  'guest-started': 'info',
  'guest-stopped': 'warning',
  'guest-status-changed': 'warning',
  'guest-migrated': 'info',
  'guest-added': 'info',
  'guest-removed': 'warning',
  'storage-threshold-crossed': 'warning',
  'storage-threshold-cleared': 'info',
  'storage-unavailable': 'critical',
};

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

function summary(event: ClusterEvent): string {
  switch (event.type) {
    case 'node-offline': return `node ${event.node} went offline`;
    case 'node-online': return `node ${event.node} is back online`;
    case 'node-unknown': return `node ${event.node} status unknown`;
    case 'node-added': return `node ${event.node} joined the cluster`;
    case 'node-removed': return `node ${event.node} left the cluster`;
    case 'quorum-lost': return `cluster lost quorum (${event.votesOnline} votes online, ${event.votesNeeded} needed)`;
    case 'quorum-regained': return `cluster quorate again (${event.votesOnline} votes online)`;
    case 'guest-started': return `guest ${event.vmid} started on ${event.node}`;
    case 'guest-stopped': return `guest ${event.vmid} stopped on ${event.node}`;
    case 'guest-status-changed': return `guest ${event.vmid} on ${event.node}: ${event.from} -> ${event.to}`;
    case 'guest-migrated': return `guest ${event.vmid} moved from ${event.from} to ${event.to}`;
    case 'guest-added': return `guest ${event.vmid} appeared on ${event.node}`;
    case 'guest-removed': return `guest ${event.vmid} disappeared from ${event.node}`;
    case 'storage-threshold-crossed': return `storage ${event.storage} on ${event.node} at ${percent(event.fraction)} (threshold ${percent(event.threshold)})`;
    case 'storage-threshold-cleared': return `storage ${event.storage} on ${event.node} back to ${percent(event.fraction)}`;
    case 'storage-unavailable': return `storage ${event.storage} on ${event.node} unavailable`;
  }
}

/**
 * A domain ClusterEvent as an events-feed entry (id assigned by the log). Summaries hold only ids,
 * node names and numbers — never guest names or other free text from the cluster.
 */
export function toEventDto(event: ClusterEvent): Omit<EventDto, 'id'> {
  return {
    at: event.at,
    type: event.type,
    severity: SEVERITY[event.type],
    source: 'cluster',
    summary: summary(event),
    ...('node' in event ? { node: event.node } : {}),
    ...('vmid' in event ? { vmid: event.vmid } : {}),
    data: { ...event },
  };
}
