/**
 * PVE authentication: API tokens (`Authorization: PVEAPIToken=USER@REALM!NAME=SECRET`, no CSRF)
 * and tickets (`PVEAuthCookie` cookie or header, CSRFPreventionToken on non-GET, 2 h validity,
 * renewal by posting a valid ticket as password). Tickets are HMAC-signed (PVE uses RSA; clients
 * treat both as opaque strings).
 * @see reference pve-api.md §3
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TICKET_LIFETIME_SECONDS = 7200;
const CLOCK_SKEW_SECONDS = 300;

export interface Identity {
  /** `user@realm`. */
  readonly userid: string;
  /** Token name when authenticated by API token. */
  readonly tokenName?: string | undefined;
  /** What goes into UPIDs and logs: `user@realm` or `user@realm!token`. */
  readonly full: string;
  /** 'all' = every privilege (root@pam, full tokens). */
  readonly privileges: ReadonlySet<string> | 'all';
  /** More specific ACLs (path -> privileges) that replace `privileges` there, as PVE's do; GET /access/permissions?path= reports them. */
  readonly pathPrivileges?: Readonly<Record<string, ReadonlySet<string>>> | undefined;
  readonly viaTicket: boolean;
}

export interface TokenSpec {
  /** `user@realm!name`. */
  readonly id: string;
  readonly secret: string;
  readonly privileges: ReadonlySet<string> | 'all';
  readonly pathPrivileges?: Readonly<Record<string, ReadonlySet<string>>> | undefined;
}

export interface AuthOptions {
  readonly username: string;
  readonly password: string;
  readonly tokens: readonly TokenSpec[];
  /** Epoch ms. */
  readonly clock: () => number;
}

export type AuthOutcome = { readonly ok: true; readonly identity: Identity } | { readonly ok: false; readonly message: string };

const hex8 = (value: number): string => (value >>> 0).toString(16).toUpperCase().padStart(8, '0');

export function hasPrivilege(identity: Identity, privilege: string): boolean {
  return identity.privileges === 'all' || identity.privileges.has(privilege);
}

export class AuthService {
  private readonly key = randomBytes(32);

  constructor(private readonly options: AuthOptions) {}

  private sign(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64').replace(/=+$/, '');
  }

  private nowSeconds(): number {
    return Math.floor(this.options.clock() / 1000);
  }

  issueTicket(userid: string): string {
    const plain = `PVE:${userid}:${hex8(this.nowSeconds())}`;
    return `${plain}::${this.sign(plain)}`;
  }

  csrfToken(userid: string): string {
    const stamp = hex8(this.nowSeconds());
    return `${stamp}:${this.sign(`${stamp}:${userid}`)}`;
  }

  /** The user a ticket belongs to, if the ticket is authentic and not expired. */
  verifyTicket(ticket: string): string | undefined {
    const match = /^(PVE:([^:]+):([0-9A-F]{8}))::(.+)$/.exec(ticket);
    if (!match || !safeEqual(match[4]!, this.sign(match[1]!))) return undefined;
    const age = this.nowSeconds() - parseInt(match[3]!, 16);
    return age <= TICKET_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS && age >= -CLOCK_SKEW_SECONDS ? match[2] : undefined;
  }

  verifyCsrf(userid: string, token: string | undefined): boolean {
    const match = /^([0-9A-F]{8}):(.+)$/.exec(token ?? '');
    if (!match || !safeEqual(match[2]!, this.sign(`${match[1]}:${userid}`))) return false;
    const age = this.nowSeconds() - parseInt(match[1]!, 16);
    return age <= TICKET_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS && age >= -CLOCK_SKEW_SECONDS;
  }

  /** POST /access/ticket: password, or a still-valid ticket of the same user (renewal). */
  login(username: string | undefined, password: string | undefined, realm: string | undefined): string | undefined {
    if (!username || password === undefined) return undefined;
    const userid = username.includes('@') ? username : `${username}@${realm ?? 'pam'}`;
    if (userid !== this.options.username) return undefined;
    if (password.startsWith('PVE:')) return this.verifyTicket(password) === userid ? userid : undefined;
    return safeEqual(password, this.options.password) ? userid : undefined;
  }

  /** Identifies the caller from the Authorization header or the PVEAuthCookie cookie. */
  authenticate(authorization: string | undefined, cookie: string | undefined): AuthOutcome {
    const header = (authorization ?? '').trim();
    const token = /^PVEAPIToken[= ](.+)$/.exec(header);
    if (token) return this.authenticateToken(safeDecode(token[1]!));
    const headerTicket = /^PVEAuthCookie=(.+)$/.exec(header);
    const ticket = headerTicket ? safeDecode(headerTicket[1]!) : cookieValue(cookie, 'PVEAuthCookie');
    if (ticket === undefined) return { ok: false, message: 'No ticket' };
    const userid = this.verifyTicket(ticket);
    if (!userid) return { ok: false, message: 'Authentication failed!' };
    return { ok: true, identity: { userid, full: userid, privileges: 'all', viaTicket: true } };
  }

  private authenticateToken(value: string): AuthOutcome {
    const split = value.lastIndexOf('=');
    const id = split > 0 ? value.slice(0, split) : value;
    const secret = split > 0 ? value.slice(split + 1) : '';
    const spec = this.options.tokens.find((entry) => entry.id === id);
    if (!spec || !safeEqual(secret, spec.secret)) return { ok: false, message: 'Authentication failed!' };
    const [userid, tokenName] = spec.id.split('!') as [string, string];
    return {
      ok: true,
      identity: {
        userid,
        tokenName,
        full: spec.id,
        privileges: spec.privileges,
        ...(spec.pathPrivileges ? { pathPrivileges: spec.pathPrivileges } : {}),
        viaTicket: false,
      },
    };
  }

  /** The privilege map PVE returns as `cap` (coarse: everything the user has). */
  capabilities(): Record<string, Record<string, 1>> {
    const all = (privileges: string[]): Record<string, 1> => Object.fromEntries(privileges.map((p) => [p, 1 as const]));
    return {
      vms: all(['VM.Audit', 'VM.PowerMgmt', 'VM.Migrate', 'VM.Config.Options', 'VM.Console']),
      nodes: all(['Sys.Audit', 'Sys.Modify', 'Sys.Syslog', 'Sys.PowerMgmt', 'Sys.Console']),
      storage: all(['Datastore.Audit', 'Datastore.AllocateSpace']),
      dc: all(['Sys.Audit', 'Sys.Modify']),
      access: all(['User.Modify', 'Permissions.Modify']),
      sdn: all(['SDN.Audit']),
    };
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function cookieValue(cookie: string | undefined, name: string): string | undefined {
  for (const part of (cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return safeDecode(rest.join('='));
  }
  return undefined;
}
