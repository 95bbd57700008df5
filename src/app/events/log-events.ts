/**
 * The logs' and the metrics' side of the event seam: one structured log line and one counter per
 * domain event. Only names, ids and codes are logged (payloads carry no secrets, but audit rows
 * and cluster events are large: they are counted, and logged at debug).
 */
import type { DomainEvent, EventBus } from '../../core/ports/events.ts';
import type { Logger } from '../../core/ports/logger.ts';

// alert.changed: an active alert publishes `updated` on every evaluation; openings and resolutions get operator lines below.
const QUIET = new Set<DomainEvent['name']>(['audit.appended', 'cluster.changed', 'task.progressed', 'alert.changed']);

/** The few fields worth a log line, per event. */
function fieldsOf(event: DomainEvent): Record<string, unknown> {
  const payload = event.payload as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = { event: event.name };
  for (const key of [
    'actor',
    'kind',
    'verdict',
    'tier',
    'ticketId',
    'requestedBy',
    'approvedBy',
    'rejectedBy',
    'ok',
    'taskId',
    'id',
    'node',
    'type',
    'status',
    'frozen',
    'by',
    'key',
    'seq',
    'version',
    'dependency',
    'up',
    'alertId',
    'rule',
    'severity',
    'transition',
  ]) {
    if (payload[key] !== undefined && typeof payload[key] !== 'object') fields[key] = payload[key];
  }
  return fields;
}

/** Cluster state changes an operator must see (the rest of `cluster.changed` stays at debug). */
const NODE_CHANGES: Readonly<Record<string, 'warn' | 'info'>> = {
  'node-offline': 'warn',
  'node-unknown': 'warn',
  'node-removed': 'warn',
  'quorum-lost': 'warn',
  'node-online': 'info',
  'node-added': 'info',
  'quorum-regained': 'info',
};

/**
 * The operator's state-change lines, at the levels docs/configuration.md ("Logs") documents:
 * warn for a denied act, a freeze, a node offline / quorum lost, a dependency lost; info for the
 * recoveries and an unfreeze. Fields are names, ids and codes (never payload text beyond reasons).
 */
function operatorLines(event: DomainEvent, logger: Logger): void {
  switch (event.name) {
    case 'proposal.decided':
      if (event.payload.verdict === 'deny')
        logger.warn(
          { event: event.name, actor: event.payload.actor, kind: event.payload.action.kind, reasons: event.payload.reasons.slice(0, 5) },
          'act denied',
        );
      return;
    case 'freeze.changed':
      if (event.payload.frozen)
        logger.warn(
          { event: event.name, by: event.payload.by, ...(event.payload.reason ? { reason: event.payload.reason } : {}) },
          'Jarvis frozen: no act runs',
        );
      else logger.info({ event: event.name, by: event.payload.by }, 'Jarvis unfrozen');
      return;
    case 'dependency.changed':
      if (event.payload.up) logger.info({ event: event.name, dependency: event.payload.dependency }, 'dependency recovered');
      else
        logger.warn(
          { event: event.name, dependency: event.payload.dependency, ...(event.payload.reason ? { reason: event.payload.reason } : {}) },
          'dependency lost',
        );
      return;
    case 'cluster.changed':
      for (const change of event.payload.events) {
        const level = NODE_CHANGES[change.type];
        if (level)
          logger[level](
            { event: 'cluster.changed', change: change.type, ...('node' in change ? { node: change.node } : {}) },
            change.type.startsWith('quorum') ? 'quorum changed' : 'node state changed',
          );
      }
      return;
    case 'alert.changed': {
      const { alertId, rule, severity, target, transition } = event.payload;
      const fields = { event: event.name, alertId, rule, severity, target: target.slice(0, 120), transition };
      if (transition === 'opened' || transition === 'reopened' || transition === 'escalated') logger.warn(fields, `alert ${transition}`);
      else if (transition === 'resolved') logger.info(fields, 'alert resolved');
      return;
    }
    default:
  }
}

/** Subscribes the logger and a counter; returns the unsubscribe function. */
export function connectEventLogs(events: EventBus, logger: Logger, count?: (name: DomainEvent['name']) => void): () => void {
  return events.onAny((event) => {
    count?.(event.name);
    if (QUIET.has(event.name)) logger.debug(fieldsOf(event), 'domain event');
    else logger.info(fieldsOf(event), 'domain event');
    operatorLines(event, logger);
  });
}
