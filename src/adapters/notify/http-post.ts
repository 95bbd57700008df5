/**
 * One HTTP POST for the notification adapters: a timeout, the response status mapped to a
 * NOTIFY_FAILED error that knows whether a retry can help (5xx/429/network: yes; other 4xx: no).
 * `fetch` is injectable (tests, proxies).
 */
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface PostOptions {
  readonly channel: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly fetch?: FetchLike | undefined;
  readonly signal?: AbortSignal | undefined;
}

export async function postOnce(options: PostOptions): Promise<Result<{ status: number; body: string }, JarvisError>> {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const response = await doFetch(options.url, { method: 'POST', headers: options.headers, body: options.body, signal: AbortSignal.any(signals) });
    const body = (await response.text()).slice(0, 2000);
    if (response.status >= 200 && response.status < 300) return ok({ status: response.status, body });
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    return err(
      jarvisError('NOTIFY_FAILED', `${options.channel}: HTTP ${response.status} from ${safeOrigin(options.url)}`, {
        retryable,
        hint:
          response.status === 401 || response.status === 403
            ? `check the ${options.channel} token (env or *_FILE; see docs/monitor.md)`
            : `check monitor.notify.channels.${options.channel}`,
        details: { status: response.status },
      }),
    );
  } catch (cause) {
    const timeout = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
    return err(
      jarvisError(
        'NOTIFY_FAILED',
        `${options.channel}: ${timeout ? `no answer within ${options.timeoutMs} ms` : 'could not connect'} (${safeOrigin(options.url)})`,
        { retryable: true, cause },
      ),
    );
  }
}

/** Scheme, host and port only: never a path or query that may hold a token. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid URL';
  }
}
