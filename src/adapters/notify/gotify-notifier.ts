/**
 * Gotify (https://gotify.net/docs/pushmsg, /docs/msgextras): POST /message with the application
 * token in `X-Gotify-Key`, JSON `{ title, message, priority (0-10), extras }`; a click URL goes in
 * `extras["client::notification"].click.url`.
 */
import type { Notification, Notifier } from '../../core/ports/notifier.ts';
import { postOnce, type FetchLike } from './http-post.ts';

export interface GotifyOptions {
  readonly channel: string;
  readonly url: string;
  /** Application token (env / *_FILE only). */
  readonly appToken: string;
  readonly timeoutMs?: number | undefined;
  readonly fetch?: FetchLike | undefined;
}

const PRIORITY = { info: 2, warning: 5, critical: 8 } as const;

export function gotifyBody(notification: Notification): Record<string, unknown> {
  return {
    title: notification.title.slice(0, 250),
    message: notification.body.slice(0, 8000) || notification.title,
    priority: notification.kind === 'resolve' ? 1 : PRIORITY[notification.severity],
    extras: {
      'client::display': { contentType: 'text/plain' },
      ...(notification.url ? { 'client::notification': { click: { url: notification.url } } } : {}),
    },
  };
}

export function gotifyNotifier(options: GotifyOptions): Notifier {
  return {
    channel: options.channel,
    type: 'gotify',
    async send(notification, call) {
      const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
      const result = await postOnce({
        channel: options.channel,
        url: new URL('message', base).toString(),
        headers: { 'content-type': 'application/json', 'x-gotify-key': options.appToken },
        body: JSON.stringify(gotifyBody(notification)),
        timeoutMs: options.timeoutMs ?? 10_000,
        fetch: options.fetch,
        signal: call?.signal,
      });
      return result.ok ? { ok: true, value: undefined } : result;
    },
  };
}
