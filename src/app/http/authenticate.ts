import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthFailureLog } from '../events/auth-failure-log.ts';
import { jarvisError } from '../../core/errors.ts';
import type { AuthService } from '../auth/auth-service.ts';
import { hasRole, type Principal } from '../auth/roles.ts';
import { ADMIN_NAME_HEADER, adminSocketPrincipal, isAdminConnection } from './admin-socket.ts';
import { sendError } from './http-errors.ts';

export const SESSION_COOKIE = 'jarvis_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The principal behind a request's admin-socket connection, session cookie or bearer token, or undefined. */
export function principalOf(request: FastifyRequest, auth: AuthService): Principal | undefined {
  const local = adminSocketPrincipal(request.raw.socket, request.headers[ADMIN_NAME_HEADER]);
  if (local) return local;
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match ? auth.authenticateToken(match[1]!) : undefined;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? auth.authenticateSession(cookie) : undefined;
}

/**
 * onRequest hook of the authenticated plugin: every route registered inside it (and WebSocket
 * upgrades) requires a session or token, cookie-authenticated state changes require an Origin
 * header (CSRF: with SameSite=Strict this is defence in depth), and the route's role is enforced.
 */
export function authenticateHook(auth: AuthService, failures?: AuthFailureLog) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const principal = principalOf(request, auth);
    if (!principal) {
      // A credential was presented and refused (none at all is just a signed-out browser): log it, rate-limited, never its value.
      if (request.headers.authorization !== undefined) failures?.record({ kind: 'token', ip: request.ip, code: 'UNAUTHENTICATED' });
      else if (request.cookies[SESSION_COOKIE] !== undefined) failures?.record({ kind: 'session', ip: request.ip, code: 'UNAUTHENTICATED' });
      reply.header('www-authenticate', 'Bearer realm="jarvis"');
      await sendError(
        reply,
        jarvisError('UNAUTHENTICATED', 'sign in first (session expired or missing), or send a valid API token', {
          hint: 'POST /api/login, or `jarvis token create`',
        }),
      );
      return;
    }
    const upgrade = request.headers.upgrade?.toLowerCase() === 'websocket';
    // No browser reaches the admin socket (a unix socket), so CSRF does not apply there.
    const cookieBased = principal.kind === 'user' && !isAdminConnection(request.raw.socket);
    if (cookieBased && (upgrade || !SAFE_METHODS.has(request.method)) && request.headers.origin === undefined) {
      await sendError(reply, jarvisError('ORIGIN_NOT_ALLOWED', 'cookie-authenticated state changes must carry an Origin header'));
      return;
    }
    const required = request.routeOptions.config.minRole ?? (SAFE_METHODS.has(request.method) ? 'viewer' : 'operator');
    if (!hasRole(principal.role, required)) {
      await sendError(reply, jarvisError('FORBIDDEN', `this needs the ${required} role; you are ${principal.role}`));
      return;
    }
    request.principal = principal;
  };
}

/** The principal inside an authenticated route (the hook guarantees it). */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route registered outside the authenticated plugin');
  return request.principal;
}
