/**
 * ntfy (https://docs.ntfy.sh/publish/): JSON publishing — POST to the server root with
 * `{ topic, title, message, priority (1-5), tags, click }`; an access token goes in
 * `Authorization: Bearer tk_...`. JSON rather than X-Title headers, so non-ASCII titles survive.
 */
import type { Notification, Notifier } from '../../core/ports/notifier.ts';
import { postOnce, type FetchLike } from './http-post.ts';

export interface NtfyOptions {
  readonly channel: string;
  /** Server URL, e.g. https://ntfy.sh or http://ntfy.lan. */
  readonly url: string;
  readonly topic: string;
  /** Access token (from env / *_FILE only). */
  readonly token?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly fetch?: FetchLike | undefined;
}

const PRIORITY = { info: 3, warning: 4, critical: 5 } as const;
const TAGS = { info: 'information_source', warning: 'warning', critical: 'rotating_light' } as const;

/** The JSON body ntfy expects (exported for the wire test). */
export function ntfyBody(topic: string, notification: Notification): Record<string, unknown> {
  return {
    topic,
    title: notification.title.slice(0, 250),
    message: notification.body.slice(0, 3900) || notification.title,
    priority: notification.kind === 'resolve' ? 2 : PRIORITY[notification.severity],
    tags: [notification.kind === 'resolve' ? 'white_check_mark' : TAGS[notification.severity], ...(notification.tags ?? [])].slice(0, 10),
    ...(notification.url ? { click: notification.url } : {}),
  };
}

export function ntfyNotifier(options: NtfyOptions): Notifier {
  return {
    channel: options.channel,
    type: 'ntfy',
    async send(notification, call) {
      const result = await postOnce({
        channel: options.channel,
        url: new URL('/', options.url).toString(),
        headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        body: JSON.stringify(ntfyBody(options.topic, notification)),
        timeoutMs: options.timeoutMs ?? 10_000,
        fetch: options.fetch,
        signal: call?.signal,
      });
      return result.ok ? { ok: true, value: undefined } : result;
    },
  };
}
