import type { FastifyInstance } from 'fastify';
import { jarvisError } from '../../../core/errors.ts';
import { requirePrincipal } from '../authenticate.ts';
import { sendError } from '../http-errors.ts';
import type { HttpServerDeps } from '../http-deps.ts';

const ID_PARAMS = { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,100}$' } }, required: ['id'] } as const;

/**
 * Chat conversations (issue 11): list, read back (resume), delete — always the caller's own.
 * POST /api/chat (one turn) lives in write-routes.ts; the streamed chat is the `/ws?chat=1` socket.
 */
export function chatRoutes(deps: HttpServerDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    const chat = deps.chat;
    const unavailable = () => jarvisError('NOT_FOUND', 'conversations are not available in this setup');

    app.get('/api/chat/status', async () => chat.status?.() ?? { mode: 'no-model', detail: 'No model configured: chat is unavailable.' });

    app.get('/api/chat/conversations', async (request, reply) => {
      if (!chat.list) return sendError(reply, unavailable());
      const result = await chat.list(requirePrincipal(request).name);
      return result.ok ? { conversations: result.value } : sendError(reply, result.error);
    });

    app.get<{ Params: { id: string } }>('/api/chat/conversations/:id', { schema: { params: ID_PARAMS } }, async (request, reply) => {
      if (!chat.get) return sendError(reply, unavailable());
      const result = await chat.get(request.params.id, requirePrincipal(request).name);
      return result.ok ? result.value : sendError(reply, result.error);
    });

    // Deleting one's own conversation is allowed to every role (it is the user's data, not an act).
    app.delete<{ Params: { id: string } }>(
      '/api/chat/conversations/:id',
      { schema: { params: ID_PARAMS }, config: { minRole: 'viewer' } },
      async (request, reply) => {
        if (!chat.remove) return sendError(reply, unavailable());
        const result = await chat.remove(request.params.id, requirePrincipal(request).name);
        if (!result.ok) return sendError(reply, result.error);
        return result.value ? { deleted: true } : sendError(reply, jarvisError('NOT_FOUND', `no conversation ${request.params.id}`));
      },
    );
  };
}
