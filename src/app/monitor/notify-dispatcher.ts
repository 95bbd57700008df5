/**
 * Sends routed notifications through the notifier ports: each delivery retried with exponential
 * backoff while the error says a retry could help; every failure logged, counted and reported
 * back (the alert timeline and GET /api/alerts/channels show it). Never throws: a broken channel
 * cannot take the monitor down.
 */
import { toJarvisError, type JarvisError } from '../../core/errors.ts';
import type { Delivery } from '../../core/anomaly/notify-routing.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { Notifier } from '../../core/ports/notifier.ts';

export interface ChannelStatus {
  readonly channel: string;
  readonly type: string;
  readonly sent: number;
  readonly failed: number;
  readonly retries: number;
  readonly lastError?: { readonly message: string; readonly at: number } | undefined;
  readonly lastSentAt?: number | undefined;
}

export interface DeliveryOutcome {
  readonly delivery: Delivery;
  readonly ok: boolean;
  readonly attempts: number;
  readonly error?: JarvisError | undefined;
}

export interface NotifyDispatcher {
  dispatch(deliveries: readonly Delivery[]): Promise<DeliveryOutcome[]>;
  status(): ChannelStatus[];
  notifiers(): readonly Notifier[];
}

export interface DispatcherOptions {
  /** Attempts after the first (default 3). */
  readonly retries: number;
  /** First backoff (doubles each retry). */
  readonly backoffMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly logger: Logger;
}

export function createNotifyDispatcher(notifiers: readonly Notifier[], options: DispatcherOptions): NotifyDispatcher {
  const byChannel = new Map(notifiers.map((notifier) => [notifier.channel, notifier]));
  const stats = new Map<string, { sent: number; failed: number; retries: number; lastError?: { message: string; at: number }; lastSentAt?: number }>(
    notifiers.map((notifier) => [notifier.channel, { sent: 0, failed: 0, retries: 0 }]),
  );

  async function deliver(delivery: Delivery): Promise<DeliveryOutcome> {
    const notifier = byChannel.get(delivery.channel);
    const stat = stats.get(delivery.channel);
    if (!notifier || !stat) return { delivery, ok: false, attempts: 0 };
    let attempts = 0;
    let error: JarvisError | undefined;
    for (;;) {
      attempts += 1;
      let result;
      try {
        result = await notifier.send(delivery.notification);
      } catch (cause) {
        result = { ok: false as const, error: toJarvisError(cause) };
      }
      if (result.ok) {
        stat.sent += 1;
        stat.lastSentAt = options.now();
        return { delivery, ok: true, attempts };
      }
      error = result.error;
      if (!error.retryable || attempts > options.retries) break;
      stat.retries += 1;
      options.logger.warn({ channel: delivery.channel, attempt: attempts, code: error.code }, `notification retry: ${error.message}`);
      await options.sleep(options.backoffMs * 2 ** (attempts - 1));
    }
    stat.failed += 1;
    stat.lastError = { message: error.message, at: options.now() };
    options.logger.error({ channel: delivery.channel, attempts, code: error.code }, `notification failed: ${error.message}`);
    return { delivery, ok: false, attempts, error };
  }

  return {
    async dispatch(deliveries) {
      return Promise.all(
        deliveries.map((delivery) => deliver(delivery).catch((cause: unknown) => ({ delivery, ok: false, attempts: 0, error: toJarvisError(cause) }))),
      );
    },
    status() {
      return notifiers.map((notifier) => ({ channel: notifier.channel, type: notifier.type, ...stats.get(notifier.channel)! }));
    },
    notifiers: () => notifiers,
  };
}
