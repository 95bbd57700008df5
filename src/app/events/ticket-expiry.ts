/**
 * Publishes `ticket.expired` when a ticket reaches its deadline still pending. The ticket store
 * itself only refuses an expired ticket when asked; this watch turns the deadline into a fact so an
 * open dashboard drops the approval card (and notifiers can say so) without anyone polling the table.
 */
import type { Clock } from '../../core/ports/clock.ts';
import type { EventBus } from '../../core/ports/events.ts';
import type { TicketStore } from '../../core/ports/tickets.ts';

/** Watches the tickets opened from now on; returns the stop function (clears every timer). */
export function watchTicketExpiry(deps: { events: EventBus; tickets: Pick<TicketStore, 'get'>; clock: Clock }): () => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const settle = (ticketId: string) => {
    const timer = timers.get(ticketId);
    if (timer) clearTimeout(timer);
    timers.delete(ticketId);
  };
  const check = async (ticketId: string): Promise<void> => {
    timers.delete(ticketId);
    const found = await deps.tickets.get(ticketId);
    if (found.ok && found.value?.status === 'pending' && found.value.expiresAt <= deps.clock.now()) {
      deps.events.publish('ticket.expired', { ticketId, at: found.value.expiresAt });
    }
  };
  const offs = [
    deps.events.on('ticket.opened', (opened) => {
      settle(opened.ticketId);
      // +1 s so the store (which compares with its own `now`) already sees it as expired.
      const timer = setTimeout(() => void check(opened.ticketId), Math.max(0, opened.expiresAt - deps.clock.now()) + 1_000);
      timer.unref?.();
      timers.set(opened.ticketId, timer);
    }),
    deps.events.on('ticket.approved', (approved) => settle(approved.ticketId)),
    deps.events.on('ticket.rejected', (rejected) => settle(rejected.ticketId)),
  ];
  return () => {
    for (const off of offs) off();
    for (const ticketId of [...timers.keys()]) settle(ticketId);
  };
}
