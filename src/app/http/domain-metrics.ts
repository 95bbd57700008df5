/**
 * The metric subscriber of the domain event bus (STYLE.md convention 13): actions, tickets and
 * alerts are counted from the facts as they are published (src/core/ports/events.ts), never by
 * re-reading a table. The gauges (tickets pending, alerts open) follow the same facts: a ticket is
 * pending from `ticket.opened` until `ticket.approved|rejected|expired`; an alert is open (not
 * resolved: open, acknowledged or snoozed) from `alert.changed` opened/reopened until resolved.
 * Both count what happened since this process started (documented in docs/http-api.md).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventBus } from '../../core/ports/events.ts';

export interface DomainMetrics {
  /** Unsubscribes from the bus. */
  close(): void;
}

export function connectDomainMetrics(bus: Pick<EventBus, 'on'>, registry: Registry): DomainMetrics {
  const actions = new Counter({
    name: 'jarvis_actions_total',
    help: 'Actions the safety kernel decided, by action kind and verdict (allow, allow-notify, needs-confirmation, deny)',
    labelNames: ['kind', 'verdict'],
    registers: [registry],
  });
  const results = new Counter({
    name: 'jarvis_action_results_total',
    help: 'Actions that ran, by action kind and outcome (ok, failed)',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const tickets = new Counter({
    name: 'jarvis_tickets_total',
    help: 'Confirmation tickets by event (opened, approved, rejected, expired)',
    labelNames: ['event'],
    registers: [registry],
  });
  const alerts = new Counter({
    name: 'jarvis_alerts_total',
    help: 'Monitor alerts by rule, severity and event (opened, reopened, resolved)',
    labelNames: ['rule', 'severity', 'event'],
    registers: [registry],
  });

  const pending = new Set<string>();
  const open = new Map<string, { rule: string; severity: string }>();
  new Gauge({
    name: 'jarvis_tickets_pending',
    help: 'Confirmation tickets opened by this process and not yet approved, rejected or expired',
    registers: [registry],
    collect() {
      this.set(pending.size);
    },
  });
  new Gauge({
    name: 'jarvis_alerts_open',
    help: 'Monitor alerts not resolved (open, acknowledged or snoozed), by rule and severity',
    labelNames: ['rule', 'severity'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, { rule: string; severity: string; n: number }>();
      for (const alert of open.values()) {
        const key = `${alert.rule}\u0000${alert.severity}`;
        const entry = counts.get(key) ?? { ...alert, n: 0 };
        entry.n += 1;
        counts.set(key, entry);
      }
      for (const { rule, severity, n } of counts.values()) this.set({ rule, severity }, n);
    },
  });

  for (const event of ['opened', 'approved', 'rejected', 'expired'] as const) tickets.inc({ event }, 0);

  const settle = (event: 'approved' | 'rejected' | 'expired') => (payload: { readonly ticketId: string }) => {
    tickets.inc({ event });
    pending.delete(payload.ticketId);
  };
  const offs = [
    bus.on('proposal.decided', (decided) => actions.inc({ kind: decided.action.kind, verdict: decided.verdict })),
    bus.on('action.finished', (finished) => results.inc({ kind: finished.kind, outcome: finished.ok ? 'ok' : 'failed' })),
    bus.on('ticket.opened', (opened) => {
      tickets.inc({ event: 'opened' });
      pending.add(opened.ticketId);
    }),
    bus.on('ticket.approved', settle('approved')),
    bus.on('ticket.rejected', settle('rejected')),
    bus.on('ticket.expired', settle('expired')),
    bus.on('alert.changed', (change) => {
      const labels = { rule: change.rule, severity: change.severity };
      if (change.transition === 'opened' || change.transition === 'reopened') alerts.inc({ ...labels, event: change.transition });
      if (change.transition === 'resolved') alerts.inc({ ...labels, event: 'resolved' });
      if (change.state === 'resolved') open.delete(change.alertId);
      else open.set(change.alertId, labels); // escalation moves the alert to its new severity
    }),
  ];
  return {
    close() {
      for (const off of offs) off();
    },
  };
}
