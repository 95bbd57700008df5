/**
 * The dashboard channel as a notifier (app side: it publishes on the hub; the adapter in
 * adapters/notify has the same shape for compositions that wire it there).
 */
import { ok } from '../../core/errors.ts';
import type { Notification, Notifier } from '../../core/ports/notifier.ts';

export function dashboardNotifierPort(publish: (notification: Notification) => void): Notifier {
  return {
    channel: 'dashboard',
    type: 'dashboard',
    async send(notification) {
      publish(notification);
      return ok(undefined);
    },
  };
}
