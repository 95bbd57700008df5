/**
 * Generic webhook: POST a JSON body; when a secret is set, `X-Jarvis-Signature: sha256=<hex>` is
 * the HMAC-SHA256 of `<timestamp>.<body>` with `X-Jarvis-Timestamp: <epoch seconds>` (the
 * receiver checks both; the timestamp stops replays). Retries with backoff live in the dispatcher
 * (app/monitor/notify-dispatcher.ts), the same for every channel.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Notification, Notifier } from '../../core/ports/notifier.ts';
import { postOnce, type FetchLike } from './http-post.ts';

export interface WebhookOptions {
  readonly channel: string;
  readonly url: string;
  /** HMAC secret (env / *_FILE only). */
  readonly secret?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly fetch?: FetchLike | undefined;
  /** Epoch ms source for the timestamp header. */
  readonly now?: (() => number) | undefined;
}

export const SIGNATURE_HEADER = 'x-jarvis-signature';
export const TIMESTAMP_HEADER = 'x-jarvis-timestamp';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): constant-time check of a signature header. */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function webhookNotifier(options: WebhookOptions): Notifier {
  return {
    channel: options.channel,
    type: 'webhook',
    async send(notification: Notification, call) {
      const body = JSON.stringify({ source: 'jarvis', ...notification });
      const timestamp = String(Math.floor((options.now ?? Date.now)() / 1000));
      const headers: Record<string, string> = { 'content-type': 'application/json', [TIMESTAMP_HEADER]: timestamp };
      if (options.secret) headers[SIGNATURE_HEADER] = signWebhook(options.secret, timestamp, body);
      const result = await postOnce({
        channel: options.channel,
        url: options.url,
        headers,
        body,
        timeoutMs: options.timeoutMs ?? 10_000,
        fetch: options.fetch,
        signal: call?.signal,
      });
      return result.ok ? { ok: true, value: undefined } : result;
    },
  };
}
