import type { FastifyInstance } from 'fastify';
import { jarvisError } from '../../../core/errors.ts';
import { PasswordChangeRequestSchema, UserCreateRequestSchema, type UsersList } from '../../../protocol/index.ts';
import { requirePrincipal } from '../authenticate.ts';
import { sendError } from '../http-errors.ts';
import type { HttpServerDeps } from '../http-deps.ts';
import { parseInput } from '../parse-input.ts';

const NAME_PARAMS = { type: 'object', properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } }, required: ['name'] } as const;
const ID_PARAMS = { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9a-f]{16}$' } }, required: ['id'] } as const;

/**
 * User management: list/add/remove users and list/revoke sessions (admin); a password change
 * (admin for anyone, any signed-in user for itself) ends that user's other sessions.
 */
export function userRoutes(deps: HttpServerDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/api/users', { config: { minRole: 'admin' } }, async (request): Promise<UsersList> => {
      const current = requirePrincipal(request).credentialId;
      return { users: deps.auth.listUsers(), sessions: deps.auth.listSessions().map((session) => ({ ...session, current: session.id === current })) };
    });

    app.post('/api/users', { config: { minRole: 'admin' } }, async (request, reply) => {
      const input = parseInput(UserCreateRequestSchema, request.body);
      if (!input.ok) return sendError(reply, input.error);
      if (deps.auth.hasUser(input.value.name))
        return sendError(
          reply,
          jarvisError('CONFLICT', `user ${input.value.name} already exists`, { hint: 'change its password instead, or remove it first' }),
        );
      await deps.auth.setUser(input.value.name, input.value.role, input.value.password);
      return { name: input.value.name, role: input.value.role };
    });

    app.delete<{ Params: { name: string } }>('/api/users/:name', { schema: { params: NAME_PARAMS }, config: { minRole: 'admin' } }, async (request, reply) => {
      const principal = requirePrincipal(request);
      if (principal.kind === 'user' && principal.name === request.params.name)
        return sendError(reply, jarvisError('INVALID_INPUT', 'you cannot remove yourself', { hint: 'sign in as another admin' }));
      if (!deps.auth.removeUser(request.params.name)) return sendError(reply, jarvisError('NOT_FOUND', `no user ${request.params.name}`));
      return { ok: true };
    });

    app.post<{ Params: { name: string } }>(
      '/api/users/:name/password',
      { schema: { params: NAME_PARAMS }, config: { minRole: 'viewer' } },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        const self = principal.kind === 'user' && principal.name === request.params.name;
        if (!self && principal.role !== 'admin') return sendError(reply, jarvisError('FORBIDDEN', "only an admin can change another user's password"));
        const input = parseInput(PasswordChangeRequestSchema, request.body);
        if (!input.ok) return sendError(reply, input.error);
        const keep = self ? principal.credentialId : undefined;
        if (!(await deps.auth.changePassword(request.params.name, input.value.password, keep)))
          return sendError(reply, jarvisError('NOT_FOUND', `no user ${request.params.name}`));
        return { ok: true };
      },
    );

    app.delete<{ Params: { id: string } }>('/api/sessions/:id', { schema: { params: ID_PARAMS }, config: { minRole: 'admin' } }, async (request, reply) => {
      if (!deps.auth.revokeSession(request.params.id)) return sendError(reply, jarvisError('NOT_FOUND', 'no such session'));
      return { ok: true };
    });
  };
}
