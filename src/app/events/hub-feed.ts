/**
 * The dashboard's side of the event seam: turns domain events into WebSocket messages and events-feed
 * entries. It is the only place that knows both vocabularies; nothing here re-reads a table to learn
 * what happened (an approval card is built from the ticket named by the event, with a fresh plan).
 */
import type { DomainEventMap, EventBus, TaskFact } from '../../core/ports/events.ts';
import type { ApprovalDto, EventDto, FreezeState, ServerMessage, Settings, TaskDto } from '../../protocol/index.ts';
import { auditEntryDto } from '../http/kernel-dto.ts';
import { clusterEventDto } from '../ws/cluster-event-dto.ts';

export interface HubFeedDeps {
  readonly events: EventBus;
  /** The WebSocket hub's publish. */
  readonly publish: (message: ServerMessage) => void;
  /** Stores an events-feed entry (GET /api/events) and returns it with its id. */
  readonly appendEvent: (event: Omit<EventDto, 'id'>) => EventDto;
  /** The approval card of a ticket (with a fresh plan), as stored now; undefined when unknown. */
  readonly approvalOf: (ticketId: string, status: ApprovalDto['status']) => Promise<ApprovalDto | undefined>;
  /** Current runtime settings (settings.changed names the key only). */
  readonly settings: () => Settings;
  /** Called whenever the set of pending tickets may have changed (pending count). */
  readonly onTicketsChanged?: (() => void) | undefined;
}

/** TaskFact (domain) -> TaskDto (wire). */
export function taskDtoOf(fact: TaskFact): TaskDto {
  const running = fact.status === 'running';
  const succeeded = running ? undefined : fact.status === 'OK' || fact.status.startsWith('WARNINGS');
  return {
    upid: fact.id,
    node: fact.node,
    type: fact.type,
    ...(fact.vmid !== undefined ? { vmid: fact.vmid } : {}),
    status: running ? 'running' : 'stopped',
    ...(!running ? { exitstatus: fact.status, succeeded } : {}),
    startedAt: fact.startedAt,
    ...(fact.endedAt !== undefined ? { endedAt: fact.endedAt } : {}),
    ...(fact.user !== undefined ? { user: fact.user } : {}),
    byJarvis: fact.byJarvis,
    ...(fact.progress !== undefined ? { progress: fact.progress } : {}),
  };
}

/** freeze.changed (domain) -> FreezeState (wire). */
export function freezeStateOf(change: DomainEventMap['freeze.changed']): FreezeState {
  return { frozen: change.frozen, ...(change.frozen ? { since: change.at } : {}), by: change.by, ...(change.reason ? { reason: change.reason } : {}) };
}

/** Subscribes; returns the unsubscribe function. */
export function connectHubFeed(deps: HubFeedDeps): () => void {
  const { events, publish } = deps;
  /** Tickets approved and now running, by action hash: their card resolves when the action ends. */
  const approvedRuns = new Map<string, string>();
  const ticketOfHash = new Map<string, string>();
  const feed = (event: Omit<EventDto, 'id'>) => publish({ type: 'event', payload: deps.appendEvent(event) });
  const resolve = (ticketId: string, status: ApprovalDto['status'], by: string | undefined, at: number) => {
    deps.onTicketsChanged?.();
    void deps.approvalOf(ticketId, status).then((approval) => {
      if (approval) publish({ type: 'approval-resolve', payload: { ...approval, ...(by ? { resolvedBy: by } : {}), resolvedAt: at } });
    });
  };
  const offs = [
    events.on('audit.appended', (row) => {
      if (row.record) publish({ type: 'audit-append', payload: auditEntryDto(row.record) });
    }),
    events.on('ticket.opened', (opened) => {
      ticketOfHash.set(opened.actionHash, opened.ticketId);
      deps.onTicketsChanged?.();
      void deps.approvalOf(opened.ticketId, 'pending').then((approval) => {
        if (approval) publish({ type: 'approval-request', payload: approval });
        const what = approval ? `${approval.action} ${approval.target}` : opened.kind;
        feed({
          at: opened.at,
          source: 'action',
          type: 'approval-requested',
          severity: 'warning',
          summary: `${what} by ${opened.requestedBy} needs approval (ticket ${opened.ticketId}): ${opened.summary}`,
        });
      });
    }),
    events.on('ticket.approved', (approved) => {
      const hash = [...ticketOfHash].find(([, id]) => id === approved.ticketId)?.[0];
      if (hash) approvedRuns.set(hash, `${approved.ticketId}\n${approved.approvedBy}`);
      deps.onTicketsChanged?.();
    }),
    events.on('ticket.rejected', (rejected) => resolve(rejected.ticketId, 'rejected', rejected.rejectedBy, rejected.at)),
    events.on('ticket.expired', (expired) => resolve(expired.ticketId, 'expired', undefined, expired.at)),
    events.on('proposal.decided', (decided) => {
      if (decided.verdict !== 'deny') return;
      feed({
        at: decided.at,
        source: 'action',
        type: 'action-denied',
        severity: 'warning',
        summary: `${decided.action.kind} by ${decided.actor} denied: ${decided.reasons[0] ?? 'no reason given'}`,
      });
    }),
    events.on('action.finished', (finished) => {
      const run = approvedRuns.get(finished.actionHash);
      if (run) {
        approvedRuns.delete(finished.actionHash);
        ticketOfHash.delete(finished.actionHash);
        const [ticketId = '', by] = run.split('\n');
        resolve(ticketId, finished.ok ? 'executed' : 'failed', by, finished.at);
      }
      feed({
        at: finished.at,
        source: 'action',
        type: finished.ok ? 'action-done' : 'action-failed',
        severity: finished.ok ? 'info' : 'warning',
        summary: `${finished.kind} by ${finished.actor}${finished.ok ? `: ${finished.message}` : ` failed: ${finished.message}`}`,
      });
    }),
    events.on('task.started', (task) => publish({ type: 'task-start', payload: taskDtoOf(task) })),
    events.on('task.progressed', (task) => publish({ type: 'task-delta', payload: taskDtoOf(task) })),
    events.on('task.finished', (task) => publish({ type: 'task-end', payload: taskDtoOf(task) })),
    events.on('freeze.changed', (change) => publish({ type: 'freeze-change', payload: freezeStateOf(change) })),
    events.on('settings.changed', () => publish({ type: 'settings-change', payload: deps.settings() })),
    events.on('cluster.changed', (change) => {
      for (const event of change.events) feed(clusterEventDto(event));
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
