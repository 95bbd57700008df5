import type { AuthRole, AuthStore, SessionRecord, TokenRecord } from '../../core/ports/auth.ts';
import type { Clock } from '../../core/ports/clock.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle, type LoginThrottleOptions } from './login-throttle.ts';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword, type ScryptParams } from './password-hash.ts';
import type { Principal } from './roles.ts';
import { generateId, generateSecret, sha256Hex } from './secret-token.ts';

export interface AuthServiceOptions {
  /** Absolute session lifetime (ms). Default 12 h. */
  readonly sessionTtlMs?: number;
  readonly throttle?: LoginThrottleOptions;
  /** Per-IP throttle over all user names (credential stuffing); default: 20 free failures. */
  readonly ipThrottle?: LoginThrottleOptions;
  readonly scrypt?: ScryptParams;
}

export interface LoginSuccess {
  /** The secret cookie value (only its SHA-256 is stored). */
  readonly cookieValue: string;
  readonly session: SessionRecord;
}

/** Key of the per-IP throttle (not a valid user name: the login schema needs no NUL). */
const ANY_USER = '\u0000any';

/** Prefix of API tokens, so a leaked one is recognisable in logs and secret scanners. */
export const TOKEN_PREFIX = 'jv_';

/**
 * Users, sessions and API tokens. Owns the login throttle. All failures are values:
 * UNAUTHENTICATED (wrong credentials), RATE_LIMITED (details.retryAfterMs), INVALID_INPUT.
 */
export class AuthService {
  private readonly throttle: LoginThrottle;
  private readonly ipThrottle: LoginThrottle;
  private readonly sessionTtlMs: number;
  private readonly scrypt: ScryptParams;
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: AuthStore,
    private readonly clock: Clock,
    options: AuthServiceOptions = {},
  ) {
    this.throttle = new LoginThrottle(options.throttle ?? DEFAULT_LOGIN_THROTTLE);
    this.ipThrottle = new LoginThrottle(options.ipThrottle ?? { ...DEFAULT_LOGIN_THROTTLE, freeFailures: 20 });
    this.sessionTtlMs = options.sessionTtlMs ?? 12 * 60 * 60_000;
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT;
  }

  /** Creates or replaces a user; existing sessions of that user are ended. */
  async setUser(name: string, role: AuthRole, password: string): Promise<void> {
    const passwordHash = await hashPassword(password, this.scrypt);
    this.store.putUser({ name, role, passwordHash, createdAt: this.clock.now() });
    this.store.deleteUserSessions(name);
  }

  /** Users without their password hashes. */
  listUsers(): { name: string; role: AuthRole; createdAt: number }[] {
    return this.store.listUsers().map((user) => ({ name: user.name, role: user.role, createdAt: user.createdAt }));
  }

  /**
   * New password (role kept). Every session of the user ends except `keepSessionId` (the public id
   * of the session that asked), so the change forces a new login everywhere else.
   */
  async changePassword(name: string, password: string, keepSessionId?: string): Promise<boolean> {
    const user = this.store.getUser(name);
    if (!user) return false;
    const passwordHash = await hashPassword(password, this.scrypt);
    this.store.putUser({ ...user, passwordHash });
    for (const session of this.store.listSessions()) {
      if (session.user === name && sessionPublicId(session.idHash) !== keepSessionId) this.store.deleteSession(session.idHash);
    }
    return true;
  }

  /** Deletes the user and all its sessions. */
  removeUser(name: string): boolean {
    return this.store.deleteUser(name);
  }

  /** Live sessions (never their secrets): the public id is the first 16 hex of the stored hash. */
  listSessions(): { id: string; user: string; role: AuthRole; createdAt: number; expiresAt: number }[] {
    const now = this.clock.now();
    return this.store
      .listSessions()
      .filter((session) => session.expiresAt > now)
      .map((session) => ({
        id: sessionPublicId(session.idHash),
        user: session.user,
        role: session.role,
        createdAt: session.createdAt,
        expiresAt: session.expiresAt,
      }));
  }

  /** Ends the session with this public id; false when none. */
  revokeSession(id: string): boolean {
    const found = this.store.listSessions().find((session) => sessionPublicId(session.idHash) === id);
    if (!found) return false;
    this.store.deleteSession(found.idHash);
    return true;
  }

  hasUser(name: string): boolean {
    return this.store.getUser(name) !== undefined;
  }

  /** Checks the password (throttled per ip + user) and opens a session. */
  async login(username: string, password: string, ip: string): Promise<Result<LoginSuccess, JarvisError>> {
    const now = this.clock.now();
    const wait = Math.max(this.throttle.retryAfterMs(ip, username, now), this.ipThrottle.retryAfterMs(ip, ANY_USER, now));
    if (wait > 0) return err(rateLimited(wait));
    const user = this.store.getUser(username);
    // Verify against a dummy hash for unknown users so both paths cost the same.
    this.dummyHash ??= hashPassword(generateSecret(), this.scrypt);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !matches) {
      const lockMs = Math.max(this.throttle.recordFailure(ip, username, this.clock.now()), this.ipThrottle.recordFailure(ip, ANY_USER, this.clock.now()));
      if (lockMs > 0) return err(rateLimited(lockMs));
      return err(jarvisError('UNAUTHENTICATED', 'wrong user name or password'));
    }
    this.throttle.recordSuccess(ip, username);
    const cookieValue = generateSecret();
    const session: SessionRecord = { idHash: sha256Hex(cookieValue), user: user.name, role: user.role, createdAt: now, expiresAt: now + this.sessionTtlMs };
    this.store.createSession(session);
    this.store.deleteExpiredSessions(now); // keeps the table bounded without a timer
    return ok({ cookieValue, session });
  }

  /** The principal of a live session, or undefined (unknown, expired: expired ones are deleted). */
  authenticateSession(cookieValue: string): (Principal & { expiresAt: number }) | undefined {
    const idHash = sha256Hex(cookieValue);
    const session = this.store.getSession(idHash);
    if (!session) return undefined;
    if (session.expiresAt <= this.clock.now()) {
      this.store.deleteSession(idHash);
      return undefined;
    }
    return { kind: 'user', name: session.user, role: session.role, credentialId: sessionPublicId(idHash), expiresAt: session.expiresAt };
  }

  /** The principal of a valid, unrevoked API token, or undefined. */
  authenticateToken(token: string): Principal | undefined {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const record = this.store.findTokenByHash(sha256Hex(token));
    if (!record || record.revokedAt !== undefined) return undefined;
    return { kind: 'token', name: record.name, role: record.role, credentialId: record.id };
  }

  logout(cookieValue: string): void {
    this.store.deleteSession(sha256Hex(cookieValue));
  }

  /** Creates an API token; the secret is returned once and only its hash is stored. */
  createToken(role: AuthRole, name: string): { id: string; token: string; record: TokenRecord } {
    const token = generateSecret(TOKEN_PREFIX);
    const record: TokenRecord = { id: generateId(), name, role, tokenHash: sha256Hex(token), createdAt: this.clock.now() };
    this.store.createToken(record);
    return { id: record.id, token, record };
  }

  revokeToken(id: string): boolean {
    return this.store.revokeToken(id, this.clock.now());
  }

  /** Deletes expired sessions (call periodically). */
  purgeExpiredSessions(): number {
    return this.store.deleteExpiredSessions(this.clock.now());
  }
}

/** Public id of a session (also the principal's credentialId): a prefix of the stored hash, never the secret. */
export function sessionPublicId(idHash: string): string {
  return idHash.slice(0, 16);
}

function rateLimited(retryAfterMs: number): JarvisError {
  return jarvisError('RATE_LIMITED', `too many failed logins: try again in ${Math.ceil(retryAfterMs / 1000)} s`, {
    retryable: true,
    details: { retryAfterMs },
  });
}
