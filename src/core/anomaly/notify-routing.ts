/**
 * Notification routing: which channel gets which message, given severity routes, quiet hours,
 * per-channel rate limits and a digest when many messages go out at once. Pure.
 */
import type { MaintenanceWindow } from '../domain/topology.ts';
import { SEVERITY_RANK, type Severity } from './types.ts';
import { inAnyWindow } from './windows.ts';

export type NotificationKind = 'alert' | 'resolve' | 'ticket' | 'digest' | 'test';

/** A message to people, channel-neutral. */
export interface Notification {
  readonly kind: NotificationKind;
  readonly severity: Severity;
  readonly title: string;
  readonly body: string;
  /** Dashboard link (an alert, or the approval of a ticket). */
  readonly url?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly alertId?: string | undefined;
  readonly ticketId?: string | undefined;
}

/** The message `jarvis notify test` and the dashboard's channel test send: info, tagged `test`. */
export function testNotification(body: string, url?: string): Notification {
  return { kind: 'test', severity: 'info', title: 'Jarvis test notification', body, tags: ['test'], ...(url ? { url } : {}) };
}

export interface ChannelRoute {
  readonly name: string;
  /** Only messages at or above this severity. */
  readonly minSeverity: Severity;
  /** Messages in any sliding hour, then held for a digest. */
  readonly maxPerHour: number;
}

export interface QuietHours {
  readonly windows: readonly MaintenanceWindow[];
  /** During quiet hours only this severity and above is pushed. */
  readonly minSeverity: Severity;
}

export interface RoutingConfig {
  readonly channels: readonly ChannelRoute[];
  readonly quietHours: QuietHours;
  /** More than this many messages for one channel in one batch become one digest. */
  readonly digestOver: number;
}

export interface RoutingState {
  /** channel -> send times within the last hour. */
  readonly sent: ReadonlyMap<string, readonly number[]>;
  /** channel -> messages held (rate limit or quiet hours) for the next digest. */
  readonly held: ReadonlyMap<string, readonly Notification[]>;
}

export function emptyRoutingState(): RoutingState {
  return { sent: new Map(), held: new Map() };
}

export interface Delivery {
  readonly channel: string;
  readonly notification: Notification;
}

const HOUR = 3_600_000;

export function digestOf(messages: readonly Notification[]): Notification {
  const severity = messages.reduce<Severity>((worst, m) => (SEVERITY_RANK[m.severity] > SEVERITY_RANK[worst] ? m.severity : worst), 'info');
  const lines = messages.slice(0, 30).map((m) => `- [${m.severity}] ${m.kind === 'resolve' ? 'resolved: ' : ''}${m.title}`);
  if (messages.length > 30) lines.push(`- ... and ${messages.length - 30} more`);
  return { kind: 'digest', severity, title: `Jarvis: ${messages.length} alert updates`, body: lines.join('\n'), tags: ['digest'] };
}

/**
 * Routes a batch of messages. Quiet hours hold every message below their minimum severity,
 * tickets included (a ticket carries the severity of what it remedies: a warning's ticket waits
 * for the morning digest, a critical one goes out); only a test ignores them, and it goes only
 * where asked.
 */
export function routeNotifications(
  state: RoutingState,
  batch: readonly Notification[],
  now: number,
  config: RoutingConfig,
): { readonly state: RoutingState; readonly deliveries: readonly Delivery[] } {
  const quiet = inAnyWindow(config.quietHours.windows, now);
  const sent = new Map<string, readonly number[]>();
  const held = new Map(state.held);
  const deliveries: Delivery[] = [];
  for (const channel of config.channels) {
    const times = (state.sent.get(channel.name) ?? []).filter((time) => now - time < HOUR && time <= now);
    let heldHere = [...(held.get(channel.name) ?? [])];
    const wanted: Notification[] = [];
    for (const message of batch) {
      if (SEVERITY_RANK[message.severity] < SEVERITY_RANK[channel.minSeverity] && message.kind !== 'test') continue;
      const quietBlocks = quiet && message.kind !== 'test' && SEVERITY_RANK[message.severity] < SEVERITY_RANK[config.quietHours.minSeverity];
      if (quietBlocks) heldHere.push(message);
      else wanted.push(message);
    }
    // Quiet hours over: what was held goes out with this batch (as a digest when many).
    if (!quiet && heldHere.length > 0) {
      wanted.unshift(...heldHere);
      heldHere = [];
    }
    let outgoing: Notification[] = wanted.length > config.digestOver ? [digestOf(wanted)] : wanted;
    const room = Math.max(0, channel.maxPerHour - times.length);
    if (outgoing.length > room) {
      // Keep one slot for a digest of the rest when there is any room at all.
      if (room === 0) {
        heldHere.push(...outgoing.filter((m) => m.kind !== 'digest'), ...outgoing.filter((m) => m.kind === 'digest'));
        outgoing = [];
      } else {
        const direct = outgoing.slice(0, room - 1);
        outgoing = [...direct, digestOf(outgoing.slice(room - 1))];
      }
    }
    for (const notification of outgoing) {
      deliveries.push({ channel: channel.name, notification });
      times.push(now);
    }
    sent.set(channel.name, times);
    held.set(channel.name, heldHere.slice(-500));
  }
  return { state: { sent, held }, deliveries };
}
