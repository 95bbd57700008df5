import type { Actor } from '../../core/domain/action.ts';
import type { AuthRole } from '../../core/ports/auth.ts';

export const ROLES: readonly AuthRole[] = ['viewer', 'operator', 'admin'];

const RANK: Record<AuthRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `role` is at least `required` (viewer < operator < admin). */
export function hasRole(role: AuthRole, required: AuthRole): boolean {
  return RANK[role] >= RANK[required];
}

export function isRole(value: unknown): value is AuthRole {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is calling: a logged-in user (cookie session) or an API token (bearer). */
export interface Principal {
  readonly kind: 'user' | 'token';
  /** User name or token name. */
  readonly name: string;
  readonly role: AuthRole;
  /** Session id hash or token id: identifies the credential in logs and audit (never the secret). */
  readonly credentialId: string;
}

/** The actor string used in audit and approvals, e.g. `user:admin` or `token:claude-desktop`. */
export function actorOf(principal: Principal): string {
  return `${principal.kind}:${principal.name}`;
}

/** The kernel's Actor for an authenticated caller (tokens act as MCP/CLI clients): principalOf(actorFor(p)) === actorOf(p). */
export function actorFor(principal: Pick<Principal, 'kind' | 'name'>): Actor {
  return principal.kind === 'user' ? { kind: 'user', id: principal.name } : { kind: 'mcp-client', clientId: principal.name };
}
