/**
 * Storage for dashboard users, API tokens and login sessions. Implemented by
 * src/adapters/sqlite/auth-store.ts (durable) and test/doubles/memory-auth-store.ts (tests).
 * Secrets never reach the store in clear: passwords arrive as scrypt hashes, tokens and session
 * ids as SHA-256 hex digests. Methods are synchronous (local storage); a storage failure is a bug
 * and throws.
 */
export type AuthRole = 'viewer' | 'operator' | 'admin';

export interface UserRecord {
  readonly name: string;
  readonly role: AuthRole;
  /** `scrypt$N$r$p$<salt b64>$<hash b64>` */
  readonly passwordHash: string;
  readonly createdAt: number;
}

export interface TokenRecord {
  /** Public id (shown by `jarvis token create`, used by `jarvis token revoke ID`). */
  readonly id: string;
  readonly name: string;
  readonly role: AuthRole;
  /** SHA-256 hex of the secret token. */
  readonly tokenHash: string;
  readonly createdAt: number;
  readonly revokedAt?: number | undefined;
}

export interface SessionRecord {
  /** SHA-256 hex of the cookie value. */
  readonly idHash: string;
  readonly user: string;
  readonly role: AuthRole;
  readonly createdAt: number;
  /** Epoch ms; the session is refused at or after this instant. */
  readonly expiresAt: number;
}

export interface AuthStore {
  getUser(name: string): UserRecord | undefined;
  /** Inserts or replaces the user. */
  putUser(user: UserRecord): void;
  createToken(token: TokenRecord): void;
  /** The token with this hash, revoked or not (the caller checks `revokedAt`). */
  findTokenByHash(tokenHash: string): TokenRecord | undefined;
  /** Marks the token revoked; false when no such id. */
  revokeToken(id: string, at: number): boolean;
  listTokens(): TokenRecord[];
  createSession(session: SessionRecord): void;
  getSession(idHash: string): SessionRecord | undefined;
  deleteSession(idHash: string): void;
  /** Deletes every session of `user` (e.g. after a password change). */
  deleteUserSessions(user: string): void;
  /** Deletes sessions expired at `now`; returns how many. */
  deleteExpiredSessions(now: number): number;
  /** Every user, by name (user management). */
  listUsers(): UserRecord[];
  /** Deletes the user and its sessions; false when no such user. */
  deleteUser(name: string): boolean;
  /** Every stored session (expired ones included until purged). */
  listSessions(): SessionRecord[];
}
