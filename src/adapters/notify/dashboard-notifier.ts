/**
 * The dashboard channel: a notification becomes a WebSocket frame (src/protocol/alerts.ts) the
 * alerts component shows as a toast. Never fails unless the hub throws.
 */
import { err, jarvisError, ok } from '../../core/errors.ts';
import type { Notification, Notifier } from '../../core/ports/notifier.ts';

export function dashboardNotifier(publish: (notification: Notification) => void, channel = 'dashboard'): Notifier {
  return {
    channel,
    type: 'dashboard',
    async send(notification) {
      try {
        publish(notification);
        return ok(undefined);
      } catch (cause) {
        return err(jarvisError('NOTIFY_FAILED', `${channel}: publish failed`, { retryable: false, cause }));
      }
    },
  };
}
