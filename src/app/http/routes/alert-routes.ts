import type { FastifyInstance } from 'fastify';
import { jarvisError } from '../../../core/errors.ts';
import { AlertSnoozeRequestSchema } from '../../../protocol/alerts.ts';
import { z } from 'zod';
import { actorOf } from '../../auth/roles.ts';
import type { Monitor } from '../../monitor/monitor.ts';
import { requirePrincipal } from '../authenticate.ts';
import { sendError } from '../http-errors.ts';
import { parseInput } from '../parse-input.ts';

const ID_PARAMS = { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } }, required: ['id'] } as const;

const AlertQuerySchema = z.strictObject({
  status: z.enum(['active', 'resolved', 'all']).default('active'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(0).optional(),
});

const notFound = (id: string) =>
  jarvisError('NOT_FOUND', `no active alert '${id}'`, { hint: 'GET /api/alerts lists the active alerts; a resolved alert cannot be changed' });

/**
 * GET /api/alerts (list / history), GET /api/alerts/channels (notification channel health),
 * GET /api/alerts/:id (alert + timeline), POST /api/alerts/:id/{ack,snooze,resolve} (operator).
 * Registered inside the authenticated plugin (the same auth as every /api route).
 */
export function alertRoutes(monitor: Pick<Monitor, 'list' | 'detail' | 'command' | 'channels'>, now: () => number) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/api/alerts', async (request, reply) => {
      const input = parseInput(AlertQuerySchema, request.query);
      if (!input.ok) return sendError(reply, input.error);
      return { alerts: monitor.list(input.value) };
    });

    app.get('/api/alerts/channels', async () => ({ channels: monitor.channels() }));

    app.get<{ Params: { id: string } }>('/api/alerts/:id', { schema: { params: ID_PARAMS } }, async (request, reply) => {
      const detail = monitor.detail(request.params.id);
      return detail ?? sendError(reply, jarvisError('NOT_FOUND', `no alert '${request.params.id}'`));
    });

    app.post<{ Params: { id: string } }>('/api/alerts/:id/ack', { schema: { params: ID_PARAMS }, config: { minRole: 'operator' } }, async (request, reply) => {
      const alert = await monitor.command(request.params.id, { kind: 'acknowledge', by: actorOf(requirePrincipal(request)) });
      return alert ? { alert } : sendError(reply, notFound(request.params.id));
    });

    app.post<{ Params: { id: string } }>(
      '/api/alerts/:id/snooze',
      { schema: { params: ID_PARAMS }, config: { minRole: 'operator' } },
      async (request, reply) => {
        const input = parseInput(AlertSnoozeRequestSchema, request.body);
        if (!input.ok) return sendError(reply, input.error);
        const alert = await monitor.command(request.params.id, {
          kind: 'snooze',
          by: actorOf(requirePrincipal(request)),
          until: now() + input.value.minutes * 60_000,
        });
        return alert ? { alert } : sendError(reply, notFound(request.params.id));
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/alerts/:id/resolve',
      { schema: { params: ID_PARAMS }, config: { minRole: 'operator' } },
      async (request, reply) => {
        const alert = await monitor.command(request.params.id, { kind: 'resolve', by: actorOf(requirePrincipal(request)) });
        return alert ? { alert } : sendError(reply, notFound(request.params.id));
      },
    );
  };
}
