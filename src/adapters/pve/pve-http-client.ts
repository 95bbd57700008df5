import type { z } from 'zod';
import { err, jarvisError, JarvisException, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { CallOptions } from '../../core/ports/cluster.ts';
import { silentLogger, type Logger } from '../../core/ports/logger.ts';
import { decode } from './decode.ts';
import { parseEnvelope, type PveEnvelope } from './parse-envelope.ts';
import { normalizeFingerprint, PinnedAgent, type TlsTrust } from './pinned-agent.ts';
import { ticketSchema } from './schemas/ticket.ts';
import { DEADLINE_REASON, sendRequest } from './send-request.ts';
import { TicketSession } from './ticket-session.ts';

export type { PveEnvelope } from './parse-envelope.ts';

/** API token (`Authorization: PVEAPIToken=<tokenId>=<secret>`, no CSRF) or ticket login. */
export type PveAuth =
  | { readonly kind: 'token'; readonly tokenId: string; readonly tokenSecret: string }
  | { readonly kind: 'ticket'; readonly username: string; readonly password: string };

export interface PveClientOptions {
  /** `https://host:8006` (the `/api2/json` prefix is added). */
  readonly baseUrl: string;
  readonly auth: PveAuth;
  /** Pinned SHA-256 certificate fingerprint, colon hex, any case. Takes precedence over `insecure`. */
  readonly fingerprint?: string | undefined;
  /** Accept any certificate. Logs a warning at construction (i.e. on every start). */
  readonly insecure?: boolean | undefined;
  /** PEM CA bundle for a CA-signed PVE certificate (used when neither pin nor insecure is set). */
  readonly ca?: string | undefined;
  /** Default per-call deadline in ms (10 s). Covers login, request and body. */
  readonly timeoutMs?: number | undefined;
  readonly logger?: Logger | undefined;
  /** Clock for ticket renewal (epoch ms). */
  readonly now?: (() => number) | undefined;
  /** Renew the ticket after this age (default 1 h; PVE tickets live 2 h). */
  readonly ticketRenewAfterMs?: number | undefined;
  /** Observes every HTTP request sent (tests and the benchmark count calls with it). */
  readonly onRequest?: ((event: PveRequestEvent) => void) | undefined;
}

export interface PveRequestEvent {
  readonly method: string;
  readonly path: string;
  /** HTTP status, or undefined when the request failed below HTTP. */
  readonly status?: number | undefined;
  readonly durationMs: number;
  /** Set for `/access/ticket` requests made by the ticket session. */
  readonly purpose?: 'login' | 'renew' | undefined;
}

export type QueryValue = string | number | boolean | undefined;
export type Params = Readonly<Record<string, QueryValue>>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

const API_PREFIX = '/api2/json';
const DEFAULT_TIMEOUT_MS = 10_000;

function encodeParams(params: Params | undefined): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    search.append(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return search;
}

/** Builds an API path from literal segments, URL-encoding each (`pvePath('nodes', n, 'status')`). */
export function pvePath(...segments: ReadonlyArray<string | number>): string {
  return '/' + segments.map((segment) => encodeURIComponent(String(segment))).join('/');
}

/**
 * Low-level typed PVE REST client: auth, pinned TLS over one keep-alive agent, a deadline on every
 * call, PVE error classification and envelope decoding. Never throws for expected failures.
 * The constructor throws a JarvisException(CONFIG_INVALID) for unusable options (a bug or a
 * config the config layer should have refused); `createPveClient` returns that as a Result.
 */
export class PveHttpClient {
  readonly baseUrl: URL;
  /** HTTP requests sent so far (auth requests included). */
  requestCount = 0;
  readonly #agent: PinnedAgent;
  readonly #auth: PveAuth;
  readonly #timeoutMs: number;
  readonly #onRequest: ((event: PveRequestEvent) => void) | undefined;
  readonly #session: TicketSession | undefined;

  constructor(options: PveClientOptions) {
    const base = URL.canParse(options.baseUrl) ? new URL(options.baseUrl) : undefined;
    if (!base || base.protocol !== 'https:') {
      throw new JarvisException(
        jarvisError('CONFIG_INVALID', `pve.url must be an https:// URL, got ${JSON.stringify(options.baseUrl)}`, { hint: 'e.g. https://192.0.2.10:8006' }),
      );
    }
    this.baseUrl = base;
    if (options.fingerprint !== undefined && normalizeFingerprint(options.fingerprint).length !== 95) {
      throw new JarvisException(
        jarvisError('CONFIG_INVALID', 'pve.fingerprint must be a SHA-256 fingerprint (32 colon-separated hex bytes)', {
          hint: 'run `openssl x509 -noout -fingerprint -sha256` on the PVE certificate',
        }),
      );
    }
    const logger = options.logger ?? silentLogger;
    const trust: TlsTrust =
      options.fingerprint !== undefined
        ? { kind: 'fingerprint', sha256: options.fingerprint }
        : options.insecure
          ? { kind: 'insecure' }
          : { kind: 'ca', ca: options.ca };
    if (trust.kind === 'insecure') {
      logger.warn({ url: base.origin }, 'PVE TLS verification is DISABLED (pve.insecure: true): any certificate is accepted; set pve.fingerprint instead');
    }
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#agent = new PinnedAgent(trust, { handshakeTimeoutMs: this.#timeoutMs });
    this.#auth = options.auth;
    this.#onRequest = options.onRequest;
    if (options.auth.kind === 'ticket') {
      const login = (username: string, password: string, signal: AbortSignal, purpose: 'login' | 'renew') => this.#login(username, password, signal, purpose);
      this.#session = new TicketSession(options.auth.username, options.auth.password, login, options.now ?? Date.now, options.ticketRenewAfterMs);
    }
  }

  /** GET `path` and decode `data` with `schema`. */
  async get<S extends z.ZodType>(path: string, schema: S, params?: Params, options?: CallOptions): Promise<Result<z.output<S>, JarvisError>> {
    const envelope = await this.request('GET', path, params, options);
    return envelope.ok ? decode(schema, envelope.value.data, `GET ${path}`) : envelope;
  }

  /** GET a paged list (`{data, total}`), decoding `data` with `schema`. */
  async getPaged<S extends z.ZodType>(
    path: string,
    schema: S,
    params?: Params,
    options?: CallOptions,
  ): Promise<Result<{ data: z.output<S>; total: number | undefined }, JarvisError>> {
    const envelope = await this.request('GET', path, params, options);
    if (!envelope.ok) return envelope;
    const data = decode(schema, envelope.value.data, `GET ${path}`);
    return data.ok ? ok({ data: data.value, total: envelope.value.total }) : data;
  }

  /** One API call with auth (re-login once on a 401 under ticket auth) and a deadline. */
  async request(method: HttpMethod, path: string, params?: Params, options: CallOptions = {}): Promise<Result<PveEnvelope, JarvisError>> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(DEADLINE_REASON), timeoutMs);
    const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
    try {
      const first = await this.#authorizedOnce(method, path, params, signal, timeoutMs);
      // Re-login once when PVE rejected the ticket on the call itself (expired, server restarted);
      // not when the login failed: that would only repeat a 3 s-delayed refusal.
      if (first.ok || first.error.code !== 'PVE_AUTH' || !this.#session || first.error.details?.phase === 'login') return first;
      this.#session.invalidate();
      return await this.#authorizedOnce(method, path, params, signal, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes pooled keep-alive sockets. */
  close(): void {
    this.#agent.destroy();
  }

  async #authorizedOnce(
    method: HttpMethod,
    path: string,
    params: Params | undefined,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<Result<PveEnvelope, JarvisError>> {
    let headers: Record<string, string>;
    if (this.#auth.kind === 'token') {
      headers = { authorization: `PVEAPIToken=${this.#auth.tokenId}=${this.#auth.tokenSecret}` };
    } else {
      const auth = await this.#session!.authHeaders(method, signal);
      if (!auth.ok) return err({ ...auth.error, details: { ...auth.error.details, phase: 'login' } });
      headers = auth.value;
    }
    return this.#exchange(method, path, params, headers, signal, timeoutMs, undefined);
  }

  async #login(username: string, password: string, signal: AbortSignal, purpose: 'login' | 'renew') {
    const response = await this.#exchange('POST', '/access/ticket', { username, password }, {}, signal, this.#timeoutMs, purpose);
    return response.ok ? decode(ticketSchema, response.value.data, 'POST /access/ticket') : response;
  }

  async #exchange(
    method: HttpMethod,
    path: string,
    params: Params | undefined,
    headers: Record<string, string>,
    signal: AbortSignal,
    timeoutMs: number,
    purpose: 'login' | 'renew' | undefined,
  ): Promise<Result<PveEnvelope, JarvisError>> {
    const url = new URL(this.baseUrl.origin + API_PREFIX + path);
    const encoded = encodeParams(params);
    let body: string | undefined;
    const allHeaders: Record<string, string> = { accept: 'application/json', ...headers };
    if (method === 'GET' || method === 'DELETE') url.search = encoded.toString();
    else {
      body = encoded.toString();
      allHeaders['content-type'] = 'application/x-www-form-urlencoded';
    }
    const started = performance.now();
    this.requestCount += 1;
    const raw = await sendRequest({ agent: this.#agent, url, method, headers: allHeaders, body, signal, timeoutMs, displayPath: path });
    this.#onRequest?.({ method, path, status: raw.ok ? raw.value.status : undefined, durationMs: performance.now() - started, purpose });
    if (!raw.ok) return raw;
    return parseEnvelope(raw.value, method, path);
  }
}

/** Result-returning factory around `new PveHttpClient(options)`. */
export function createPveClient(options: PveClientOptions): Result<PveHttpClient, JarvisError> {
  try {
    return ok(new PveHttpClient(options));
  } catch (error) {
    if (error instanceof JarvisException) return err(error.error);
    throw error;
  }
}
