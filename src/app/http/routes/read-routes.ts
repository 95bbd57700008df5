import type { FastifyInstance } from 'fastify';
import type { RrdTarget } from '../../../core/ports/cluster.ts';
import { jarvisError } from '../../../core/errors.ts';
import { AuditQuerySchema, EventsQuerySchema, HistoryQuerySchema, type HistoryDto, type SessionDto } from '../../../protocol/index.ts';
import { requirePrincipal, SESSION_COOKIE } from '../authenticate.ts';
import { buildStateJson, type StateParts } from '../build-state.ts';
import { sendError } from '../http-errors.ts';
import type { HttpServerDeps } from '../http-deps.ts';
import { parseInput } from '../parse-input.ts';

/** Read routes (viewer and up): session, state, history, events, audit, metrics; plus logout. */
export function readRoutes(deps: HttpServerDeps, parts: StateParts) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/api/session', async (request): Promise<SessionDto> => {
      const principal = requirePrincipal(request);
      const cookie = request.cookies[SESSION_COOKIE];
      const session = principal.kind === 'user' && cookie ? deps.auth.authenticateSession(cookie) : undefined;
      return { user: { name: principal.name, role: principal.role }, expiresAt: session?.expiresAt ?? 0 };
    });

    app.post('/api/logout', { config: { minRole: 'viewer' } }, async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) deps.auth.logout(cookie);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });

    app.get('/api/state', async (request, reply) => {
      const { json } = await buildStateJson(parts, requirePrincipal(request));
      return reply.type('application/json; charset=utf-8').send(json);
    });

    app.get('/api/history', async (request, reply) => {
      const input = parseInput(HistoryQuerySchema, request.query);
      if (!input.ok) return sendError(reply, input.error);
      const query = input.value;
      // Only targets that exist in the live snapshot reach PVE (allowlist, STYLE.md convention 7).
      const snapshot = deps.state.current().snapshot;
      if (!snapshot?.nodes.some((node) => node.name === query.node)) return sendError(reply, jarvisError('NOT_FOUND', `no node ${query.node} in the cluster`));
      if (query.kind === 'guest' && !snapshot.guests.some((guest) => guest.vmid === query.vmid && guest.node === query.node && guest.type === query.type)) {
        return sendError(reply, jarvisError('NOT_FOUND', `no ${query.type ?? 'guest'} ${query.vmid ?? '?'} on ${query.node}`));
      }
      let target: RrdTarget;
      if (query.kind === 'node') target = { kind: 'node', node: query.node };
      else if (query.vmid !== undefined && query.type !== undefined) target = { kind: 'guest', node: query.node, vmid: query.vmid, type: query.type };
      else return sendError(reply, jarvisError('INVALID_INPUT', 'a guest history needs vmid and type (qemu | lxc)'));
      const result = await deps.history.rrdData(target, query.timeframe);
      if (!result.ok) return sendError(reply, result.error);
      const body: HistoryDto = { timeframe: query.timeframe, samples: result.value.map((sample) => ({ time: sample.time, values: { ...sample.values } })) };
      return body;
    });

    app.get('/api/events', async (request, reply) => {
      const input = parseInput(EventsQuerySchema, request.query);
      if (!input.ok) return sendError(reply, input.error);
      return { events: deps.events.list(input.value) };
    });

    app.get('/api/audit', async (request, reply) => {
      const input = parseInput(AuditQuerySchema, request.query);
      if (!input.ok) return sendError(reply, input.error);
      const result = await deps.audit.page(input.value);
      if (!result.ok) return sendError(reply, result.error);
      return result.value;
    });

    app.get('/metrics', async (_request, reply) => {
      const text = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(text);
    });
  };
}
