import type { AuthStore, SessionRecord, TokenRecord, UserRecord } from '../../src/core/ports/auth.ts';

/** In-memory AuthStore for tests and throwaway runs (nothing survives a restart). */
export class MemoryAuthStore implements AuthStore {
  private readonly users = new Map<string, UserRecord>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly sessions = new Map<string, SessionRecord>();

  getUser(name: string): UserRecord | undefined {
    return this.users.get(name);
  }
  putUser(user: UserRecord): void {
    this.users.set(user.name, user);
  }
  listUsers(): UserRecord[] {
    return [...this.users.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  deleteUser(name: string): boolean {
    this.deleteUserSessions(name);
    return this.users.delete(name);
  }
  listSessions(): SessionRecord[] {
    return [...this.sessions.values()];
  }
  createToken(token: TokenRecord): void {
    this.tokens.set(token.id, token);
  }
  findTokenByHash(tokenHash: string): TokenRecord | undefined {
    for (const token of this.tokens.values()) if (token.tokenHash === tokenHash) return token;
    return undefined;
  }
  revokeToken(id: string, at: number): boolean {
    const token = this.tokens.get(id);
    if (!token) return false;
    this.tokens.set(id, { ...token, revokedAt: token.revokedAt ?? at });
    return true;
  }
  listTokens(): TokenRecord[] {
    return [...this.tokens.values()];
  }
  createSession(session: SessionRecord): void {
    this.sessions.set(session.idHash, session);
  }
  getSession(idHash: string): SessionRecord | undefined {
    return this.sessions.get(idHash);
  }
  deleteSession(idHash: string): void {
    this.sessions.delete(idHash);
  }
  deleteUserSessions(user: string): void {
    for (const [key, session] of this.sessions) if (session.user === user) this.sessions.delete(key);
  }
  deleteExpiredSessions(now: number): number {
    let count = 0;
    for (const [key, session] of this.sessions) {
      if (session.expiresAt <= now) {
        this.sessions.delete(key);
        count += 1;
      }
    }
    return count;
  }
}
