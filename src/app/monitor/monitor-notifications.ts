/**
 * The monitor's side of notifications: turns alert transitions and pending tickets into messages,
 * routes each batch (severity, rate limits, digests, quiet hours: core/anomaly/notify-routing)
 * and queues it in the outbox, which sends in the background and reports each delivery's outcome
 * on the alert's timeline. Also the test message of `jarvis notify test`. Never throws.
 */
import {
  emptyRoutingState,
  routeNotifications,
  testNotification,
  type AlertTransition,
  type Notification,
  type RoutingState,
  type Severity,
} from '../../core/anomaly/index.ts';
import type { AlertRecords } from './alert-records.ts';
import type { MonitorDeps, MonitorSettings } from './monitor-types.ts';
import type { DeliveryOutcome } from './notify-dispatcher.ts';
import { createNotifyOutbox } from './notify-outbox.ts';

export interface MonitorNotifications {
  /** The message announcing an alert transition (opened, re-opened, escalated, resolved). */
  notificationOf(transition: AlertTransition): Notification;
  /** Routes a batch and queues it: returns at once, whatever the channels' health. */
  send(batch: readonly Notification[]): void;
  /**
   * Pushes a pending ticket (once per ticket) with a link to its approval. Routed like any
   * message of `severity` (quiet hours included): the monitor's tickets carry their alert's
   * severity, a person's (chat, MCP, dashboard) are critical. Safe to pass on detached.
   */
  readonly notifyTicket: (ticketId: string, summary: string, requestedBy: string, expiresAt: number, severity: Severity) => void;
  /** Sends a test message to one channel, outside the outbox (`jarvis notify test`). */
  testChannel(channel: string): Promise<{ ok: boolean; message: string }>;
  /** Deliveries waiting or in flight, and dropped because a channel's queue was full. */
  queued(): { readonly pending: number; readonly dropped: number };
  /** Resolves when every queued delivery has been sent or given up. */
  idle(): Promise<void>;
}

export function createMonitorNotifications(
  deps: Pick<MonitorDeps, 'dispatcher' | 'clock' | 'logger'>,
  settings: Pick<MonitorSettings, 'routing' | 'dashboardUrl' | 'notifyQueueLimit'>,
  parts: { readonly timeline: AlertRecords['timeline']; readonly onSent: () => void },
): MonitorNotifications {
  const { clock, dispatcher } = deps;
  let routing: RoutingState = emptyRoutingState();
  const notifiedTickets = new Set<string>();

  const link = (path: string): string | undefined => (settings.dashboardUrl ? `${settings.dashboardUrl.replace(/\/$/, '')}${path}` : undefined);

  /** What happened to one delivery, on the alert's timeline (the outbox calls it when a send ends). */
  function recordOutcome(outcome: DeliveryOutcome): void {
    const notification = outcome.delivery.notification;
    if (outcome.ok) parts.onSent();
    if (notification.kind === 'digest' || notification.alertId === undefined) return;
    parts.timeline(
      notification.alertId,
      outcome.ok ? 'notified' : 'notify-failed',
      outcome.ok
        ? `sent to ${outcome.delivery.channel}${outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : ''}`
        : `${outcome.delivery.channel} failed after ${outcome.attempts} attempts: ${outcome.error?.message ?? 'unknown channel'}`,
    );
  }

  const outbox = createNotifyOutbox(dispatcher, { capacity: settings.notifyQueueLimit, logger: deps.logger, onOutcome: recordOutcome });

  function send(batch: readonly Notification[]): void {
    const routed = routeNotifications(routing, batch, clock.now(), settings.routing);
    routing = routed.state;
    outbox.enqueue(routed.deliveries);
  }

  return {
    notificationOf(transition) {
      const { alert } = transition;
      const resolved = transition.kind === 'resolved';
      return {
        kind: resolved ? 'resolve' : 'alert',
        severity: alert.severity,
        title: resolved ? `Resolved: ${alert.title}` : alert.title,
        body: resolved
          ? `${alert.title}\nCondition cleared after ${Math.max(1, Math.round((clock.now() - alert.firstSeen) / 60_000))} min.`
          : `${alert.title}\nRule ${alert.rule} on ${alert.target}${transition.kind === 'escalated' ? ` (now ${alert.severity})` : ''}.`,
        url: link(`/#alert-${alert.id}`),
        tags: [alert.rule],
        alertId: alert.id,
      };
    },
    send,
    notifyTicket(ticketId, summary, requestedBy, expiresAt, severity) {
      if (notifiedTickets.has(ticketId)) return;
      notifiedTickets.add(ticketId);
      const minutes = Math.max(0, Math.round((expiresAt - clock.now()) / 60_000));
      send([
        {
          kind: 'ticket',
          severity,
          title: `Approval needed: ${summary}`.slice(0, 250),
          body: `${requestedBy} asks for: ${summary}\nThe ticket expires in ${minutes} min. Open the approval to confirm or reject.`,
          url: link(`/#approval-${ticketId}`),
          tags: ['ticket'],
          ticketId,
        },
      ]);
    },
    async testChannel(channel) {
      const notifier = dispatcher.notifiers().find((entry) => entry.channel === channel);
      if (!notifier)
        return {
          ok: false,
          message: `no channel '${channel}' (known: ${
            dispatcher
              .notifiers()
              .map((entry) => entry.channel)
              .join(', ') || 'none'
          }; see monitor.notify.channels)`,
        };
      const [outcome] = await dispatcher.dispatch([
        {
          channel,
          notification: testNotification(`A test from Jarvis at ${new Date(clock.now()).toISOString()}.`, link('/')),
        },
      ]);
      return outcome?.ok
        ? { ok: true, message: `sent to ${channel}${outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : ''}` }
        : { ok: false, message: outcome?.error?.message ?? 'not sent' };
    },
    queued: () => outbox.stats(),
    idle: () => outbox.idle(),
  };
}
