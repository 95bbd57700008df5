import type { FastifyInstance } from 'fastify';
import { LoginRequestSchema, type HealthDto, type SessionDto } from '../../../protocol/index.ts';
import { SESSION_COOKIE } from '../authenticate.ts';
import { sendError } from '../http-errors.ts';
import type { AuthFailureLog } from '../../events/auth-failure-log.ts';
import type { HttpServerDeps } from '../http-deps.ts';
import { parseInput } from '../parse-input.ts';

/**
 * The only routes reachable without credentials: GET /health (for the external watchdog; no
 * cluster data) and POST /api/login (throttled). Everything else lives in the authenticated plugin.
 */
export function publicRoutes(deps: HttpServerDeps, cookie: { secure: boolean | 'auto' }, authFailures?: AuthFailureLog) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/health', async (): Promise<HealthDto> => {
      const dependencies = await deps.health.dependencies();
      const states = Object.values(dependencies).map((entry) => entry.status);
      const status = states.some((state) => state !== 'ok' && state !== 'unknown') ? 'degraded' : 'ok';
      // Always 200 while the process answers: the watchdog restarts Jarvis, not the cluster.
      return { status, serverTime: deps.clock.now(), dependencies };
    });

    app.post('/api/login', async (request, reply) => {
      const input = parseInput(LoginRequestSchema, request.body);
      if (!input.ok) return sendError(reply, input.error);
      const result = await deps.auth.login(input.value.username, input.value.password, request.ip);
      if (!result.ok) {
        // Rate-limited per address; the name only when it is a real user (never echo a mistyped password).
        authFailures?.record({
          kind: 'login',
          ip: request.ip,
          user: deps.auth.hasUser(input.value.username) ? input.value.username : undefined,
          code: result.error.code,
        });
        return sendError(reply, result.error);
      }
      const { cookieValue, session } = result.value;
      reply.setCookie(SESSION_COOKIE, cookieValue, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: cookie.secure === 'auto' ? request.protocol === 'https' : cookie.secure,
        expires: new Date(session.expiresAt),
      });
      const body: SessionDto = { user: { name: session.user, role: session.role }, expiresAt: session.expiresAt };
      return body;
    });
  };
}
