/**
 * The logs' and the metrics' side of the event seam: one structured log line and one counter per
 * domain event. Only names, ids and codes are logged (payloads carry no secrets, but audit rows
 * and cluster events are large: they are counted, and logged at debug).
 */
import type { DomainEvent, EventBus } from '../../core/ports/events.ts';
import type { Logger } from '../../core/ports/logger.ts';

const QUIET = new Set<DomainEvent['name']>(['audit.appended', 'cluster.changed', 'task.progressed']);

/** The few fields worth a log line, per event. */
function fieldsOf(event: DomainEvent): Record<string, unknown> {
  const payload = event.payload as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = { event: event.name };
  for (const key of ['actor', 'kind', 'verdict', 'tier', 'ticketId', 'requestedBy', 'approvedBy', 'rejectedBy', 'ok', 'taskId', 'id', 'node', 'type', 'status', 'frozen', 'by', 'key', 'seq', 'version', 'dependency', 'up']) {
    if (payload[key] !== undefined && typeof payload[key] !== 'object') fields[key] = payload[key];
  }
  return fields;
}

/** Subscribes the logger and a counter; returns the unsubscribe function. */
export function connectEventLogs(events: EventBus, logger: Logger, count?: (name: DomainEvent['name']) => void): () => void {
  return events.onAny((event) => {
    count?.(event.name);
    if (QUIET.has(event.name)) logger.debug(fieldsOf(event), 'domain event');
    else logger.info(fieldsOf(event), 'domain event');
  });
}
