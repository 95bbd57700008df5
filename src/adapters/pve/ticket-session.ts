import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { TicketData } from './schemas/ticket.ts';

/** Sends `POST /access/ticket` with the given password (a password, or a still-valid ticket). */
export type LoginFn = (username: string, password: string, signal: AbortSignal, purpose: 'login' | 'renew') => Promise<Result<TicketData, JarvisError>>;

interface Ticket {
  readonly ticket: string;
  readonly csrf: string;
  readonly obtainedAt: number;
}

/** PVE tickets live 2 h; like proxmoxer we renew after 1 h by posting the ticket as password. */
export const DEFAULT_TICKET_RENEW_AFTER_MS = 60 * 60 * 1000;
/** Keep using a held ticket while a renewal fails transiently, up to 2 h minus a 5 min margin. */
const TICKET_USABLE_MS = 115 * 60 * 1000;

/**
 * Ticket (username/password) authentication state for one client. Logs in lazily, renews after
 * `renewAfterMs`, shares one in-flight login between concurrent calls, and builds the cookie +
 * CSRF headers. `invalidate()` forces a fresh login (the client calls it once on a 401).
 */
export class TicketSession {
  #ticket: Ticket | undefined;
  #pending: Promise<Result<Ticket, JarvisError>> | undefined;

  constructor(
    private readonly username: string,
    private readonly password: string,
    private readonly login: LoginFn,
    private readonly now: () => number,
    private readonly renewAfterMs: number = DEFAULT_TICKET_RENEW_AFTER_MS,
  ) {}

  /** Cookie (URL-encoded ticket) and, for every non-GET method, the CSRFPreventionToken header. */
  async authHeaders(method: string, signal: AbortSignal): Promise<Result<Record<string, string>, JarvisError>> {
    const ticket = await this.#current(signal);
    if (!ticket.ok) return ticket;
    const headers: Record<string, string> = { cookie: `PVEAuthCookie=${encodeURIComponent(ticket.value.ticket)}` };
    if (method !== 'GET') headers['csrfpreventiontoken'] = ticket.value.csrf;
    return ok(headers);
  }

  invalidate(): void {
    this.#ticket = undefined;
  }

  async #current(signal: AbortSignal): Promise<Result<Ticket, JarvisError>> {
    const held = this.#ticket;
    if (held && this.now() - held.obtainedAt < this.renewAfterMs) return ok(held);
    this.#pending ??= this.#obtain(held, signal).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #obtain(held: Ticket | undefined, signal: AbortSignal): Promise<Result<Ticket, JarvisError>> {
    if (held) {
      const renewed = await this.login(this.username, held.ticket, signal, 'renew');
      if (renewed.ok) return this.#store(renewed.value);
      // A transient renewal failure (timeout, 5xx) is not a reason to stop: the held ticket is
      // still valid, and the next call tries to renew again. A refused ticket means log in anew.
      if (renewed.error.code !== 'PVE_AUTH') return this.now() - held.obtainedAt < TICKET_USABLE_MS ? ok(held) : renewed;
    }
    const fresh = await this.login(this.username, this.password, signal, 'login');
    return fresh.ok ? this.#store(fresh.value) : fresh;
  }

  #store(data: TicketData): Result<Ticket, JarvisError> {
    if (data.NeedTFA) {
      return err(
        jarvisError('PVE_AUTH', 'PVE requires a second factor for this user', {
          hint: 'use an API token (pve.tokenId) for Jarvis instead of a TFA-protected user',
        }),
      );
    }
    const ticket = { ticket: data.ticket, csrf: data.CSRFPreventionToken, obtainedAt: this.now() };
    this.#ticket = ticket;
    return ok(ticket);
  }
}
