/**
 * The monitor's outbox: routed deliveries wait here and go out in the background, one queue and
 * one worker per channel, so an evaluation never waits for a channel (a dead webhook with its
 * retries and backoff can take ~a minute) and a dead channel never delays another. Each queue is
 * bounded: when full, the oldest waiting delivery is dropped, logged and counted. Outcomes are
 * reported through `onOutcome` (the alert timeline). Never throws.
 */
import type { Delivery } from '../../core/anomaly/notify-routing.ts';
import { toJarvisError } from '../../core/errors.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { DeliveryOutcome, NotifyDispatcher } from './notify-dispatcher.ts';

export interface NotifyOutbox {
  /** Queues deliveries and returns at once. */
  enqueue(deliveries: readonly Delivery[]): void;
  /** Resolves when every queue is empty and no delivery is in flight (tests, benches). */
  idle(): Promise<void>;
  /** Deliveries waiting or in flight, and dropped since start (a full queue). */
  stats(): { readonly pending: number; readonly dropped: number };
}

export interface NotifyOutboxOptions {
  /** Deliveries one channel may hold waiting (default 100). */
  readonly capacity?: number | undefined;
  readonly logger: Logger;
  readonly onOutcome: (outcome: DeliveryOutcome) => void;
}

export function createNotifyOutbox(dispatcher: Pick<NotifyDispatcher, 'dispatch'>, options: NotifyOutboxOptions): NotifyOutbox {
  const capacity = Math.max(1, options.capacity ?? 100);
  const queues = new Map<string, { waiting: Delivery[]; worker: Promise<void> | undefined }>();
  let dropped = 0;

  async function drain(channel: string): Promise<void> {
    const queue = queues.get(channel)!;
    for (let delivery = queue.waiting.shift(); delivery; delivery = queue.waiting.shift()) {
      let outcome: DeliveryOutcome;
      try {
        outcome = (await dispatcher.dispatch([delivery]))[0] ?? { delivery, ok: false, attempts: 0 };
      } catch (cause) {
        outcome = { delivery, ok: false, attempts: 0, error: toJarvisError(cause) };
      }
      try {
        options.onOutcome(outcome);
      } catch (cause) {
        options.logger.error({ error: toJarvisError(cause).message }, 'notification outcome handler failed');
      }
    }
    queue.worker = undefined;
  }

  return {
    enqueue(deliveries) {
      for (const delivery of deliveries) {
        let queue = queues.get(delivery.channel);
        if (!queue) {
          queue = { waiting: [], worker: undefined };
          queues.set(delivery.channel, queue);
        }
        if (queue.waiting.length >= capacity) {
          const lost = queue.waiting.shift()!;
          dropped += 1;
          options.logger.warn(
            { channel: delivery.channel, capacity, dropped },
            `notification dropped (channel queue full): ${lost.notification.title.slice(0, 120)}`,
          );
        }
        queue.waiting.push(delivery);
        queue.worker ??= drain(delivery.channel);
      }
    },
    async idle() {
      for (;;) {
        const workers = [...queues.values()].map((queue) => queue.worker).filter((worker) => worker !== undefined);
        if (workers.length === 0) return;
        await Promise.all(workers);
      }
    },
    stats() {
      let pending = 0;
      for (const queue of queues.values()) pending += queue.waiting.length + (queue.worker ? 1 : 0);
      return { pending, dropped };
    },
  };
}
