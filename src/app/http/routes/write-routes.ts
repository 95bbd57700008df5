import type { FastifyInstance } from 'fastify';
import { jarvisError } from '../../../core/errors.ts';
import {
  ActionConfirmRequestSchema,
  ActionRequestSchema,
  ApprovalsQuerySchema,
  ChatRequestSchema,
  FreezeRequestSchema,
  RejectRequestSchema,
  SettingsUpdateSchema,
} from '../../../protocol/index.ts';
import { hasRole, actorFor } from '../../auth/roles.ts';
import { requirePrincipal } from '../authenticate.ts';
import { sendError } from '../http-errors.ts';
import type { HttpServerDeps } from '../http-deps.ts';
import { parseInput } from '../parse-input.ts';

const ID_PARAMS = { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } }, required: ['id'] } as const;

/**
 * Routes that change something. Default role for non-GET is operator (see authenticate.ts);
 * unfreeze and settings need admin. Every act goes through the kernel behind ActionService /
 * ApprovalsService: this layer only checks who may ask.
 */
export function writeRoutes(deps: HttpServerDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/api/approvals', async (request, reply) => {
      const input = parseInput(ApprovalsQuerySchema, request.query);
      if (!input.ok) return sendError(reply, input.error);
      const result = await deps.approvals.list(input.value.status);
      return result.ok ? { approvals: result.value } : sendError(reply, result.error);
    });

    app.post<{ Params: { id: string } }>(
      '/api/approvals/:id/approve',
      { schema: { params: ID_PARAMS }, config: { minRole: 'operator' } },
      async (request, reply) => {
        const result = await deps.approvals.approve(request.params.id, requirePrincipal(request));
        return result.ok ? result.value : sendError(reply, result.error);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/approvals/:id/reject',
      { schema: { params: ID_PARAMS }, config: { minRole: 'operator' } },
      async (request, reply) => {
        const input = parseInput(RejectRequestSchema, request.body);
        if (!input.ok) return sendError(reply, input.error);
        const result = await deps.approvals.reject(request.params.id, requirePrincipal(request), input.value.reason);
        return result.ok ? result.value : sendError(reply, result.error);
      },
    );

    app.post('/api/actions', { config: { minRole: 'operator' } }, async (request, reply) => {
      const input = parseInput(ActionRequestSchema, request.body);
      if (!input.ok) {
        // Write-ahead: the refused body gets its audit row before the 400 leaves (issue 8).
        const audited = deps.actions.refused ? await deps.actions.refused(request.body, requirePrincipal(request), input.error) : undefined;
        return sendError(reply, audited && !audited.ok ? audited.error : input.error);
      }
      const result = await deps.actions.propose(input.value, requirePrincipal(request));
      return result.ok ? result.value : sendError(reply, result.error);
    });

    // Inline confirmation of a red action by the signed-in human who proposed it (issue 8).
    app.post('/api/actions/confirm', { config: { minRole: 'operator' } }, async (request, reply) => {
      const input = parseInput(ActionConfirmRequestSchema, request.body);
      if (!input.ok) return sendError(reply, input.error);
      const principal = requirePrincipal(request);
      if (principal.kind !== 'user')
        return sendError(
          reply,
          jarvisError('FORBIDDEN', 'API tokens may propose actions but never confirm or approve them', {
            hint: 'the signed-in human who started the action confirms it in the dashboard',
          }),
        );
      if (!deps.actions.confirm) return sendError(reply, jarvisError('NOT_FOUND', 'inline confirmation needs the safety kernel'));
      const result = await deps.actions.confirm(input.value, principal);
      return result.ok ? result.value : sendError(reply, result.error);
    });

    app.get('/api/freeze', async (_request, reply) => {
      const result = await deps.freeze.get();
      return result.ok ? result.value : sendError(reply, result.error);
    });

    app.post('/api/freeze', { config: { minRole: 'operator' } }, async (request, reply) => {
      const input = parseInput(FreezeRequestSchema, request.body);
      if (!input.ok) return sendError(reply, input.error);
      const principal = requirePrincipal(request);
      if (!input.value.frozen && !hasRole(principal.role, 'admin')) {
        return sendError(reply, jarvisError('FORBIDDEN', 'only an admin can lift the emergency stop'));
      }
      const result = await deps.freeze.set(input.value.frozen, principal, input.value.reason);
      // The switch itself publishes freeze-change (it also sees changes made by `jarvis freeze`).
      return result.ok ? result.value : sendError(reply, result.error);
    });

    app.get('/api/settings', async () => deps.settings.get());

    app.put('/api/settings', { config: { minRole: 'admin' } }, async (request, reply) => {
      const input = parseInput(SettingsUpdateSchema, request.body);
      if (!input.ok) return sendError(reply, input.error);
      const result = await deps.settings.update(input.value, actorFor(requirePrincipal(request)));
      if (!result.ok) return sendError(reply, result.error);
      return result.value;
    });

    app.post('/api/chat', { config: { minRole: 'operator' } }, async (request, reply) => {
      const input = parseInput(ChatRequestSchema, request.body);
      if (!input.ok) return sendError(reply, input.error);
      // AI off: the chat service answers in offline command mode (no model is used).
      const result = await deps.chat.send(input.value, requirePrincipal(request));
      return result.ok ? result.value : sendError(reply, result.error);
    });
  };
}
