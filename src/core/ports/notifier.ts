/**
 * The notifier port: one channel that can carry a message to people (dashboard, ntfy, Gotify,
 * webhook, email). Adapters live in adapters/notify, one file per channel. `send` never throws;
 * a failure is a NOTIFY_FAILED JarvisError that says whether a retry could help.
 */
import type { Notification } from '../anomaly/notify-routing.ts';
import type { JarvisError, Result } from '../errors.ts';

export type { Notification } from '../anomaly/notify-routing.ts';

export interface Notifier {
  /** Channel name as configured (`ntfy`, `phone`, `ops-mail`, `dashboard`). */
  readonly channel: string;
  /** `ntfy`, `gotify`, `webhook`, `email`, `dashboard`. */
  readonly type: string;
  send(notification: Notification, options?: { readonly signal?: AbortSignal | undefined }): Promise<Result<void, JarvisError>>;
}
