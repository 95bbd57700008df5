import type { ClusterEvent } from '../../core/domain/events.ts';
import type { EventDto } from '../../protocol/index.ts';

const CRITICAL = new Set(['node-offline', 'quorum-lost', 'storage-unavailable']);
const WARNING = new Set(['node-unknown', 'node-removed', 'guest-stopped', 'guest-removed', 'storage-threshold-crossed']);

function describe(event: ClusterEvent): string {
  switch (event.type) {
    case 'quorum-lost':
      return `quorum lost: ${event.votesOnline} of ${event.votesNeeded} needed votes online`;
    case 'quorum-regained':
      return `quorum regained: ${event.votesOnline} votes online`;
    case 'guest-migrated':
      return `guest ${event.vmid} migrated from ${event.from} to ${event.to}`;
    case 'guest-status-changed':
      return `guest ${event.vmid} on ${event.node}: ${event.from} -> ${event.to}`;
    case 'storage-threshold-crossed':
    case 'storage-threshold-cleared':
      return `storage ${event.storage} on ${event.node} at ${Math.round(event.fraction * 100)}% (threshold ${Math.round(event.threshold * 100)}%)`;
    case 'storage-unavailable':
      return `storage ${event.storage} on ${event.node} unavailable`;
    default:
      return 'vmid' in event
        ? `guest ${event.vmid} on ${event.node}: ${event.type.replace('guest-', '')}`
        : `node ${event.node}: ${event.type.replace('node-', '')}`;
  }
}

/** A domain ClusterEvent as an events-feed entry (without id: the event log assigns it). */
export function clusterEventDto(event: ClusterEvent): Omit<EventDto, 'id'> {
  const severity = CRITICAL.has(event.type) ? 'critical' : WARNING.has(event.type) ? 'warning' : 'info';
  return {
    at: event.at,
    type: event.type,
    severity,
    source: 'cluster',
    summary: describe(event),
    ...('node' in event ? { node: event.node } : {}),
    ...('vmid' in event ? { vmid: event.vmid } : {}),
    data: { ...event },
  };
}
