/**
 * /api/memory, registered inside the authenticated scope (HttpServerOptions.protectedPlugins), so
 * the session/bearer, Origin and role checks run first: viewers read, operators write, and only
 * an admin wipes a tier or runs consolidation.
 */
import type { FastifyInstance } from 'fastify';
import { jarvisError } from '../../core/errors.ts';
import type { MemoryEntry } from '../../core/memory/types.ts';
import {
  MemoryEditSchema,
  MemoryListQuerySchema,
  MemoryTierSchema,
  MemoryWriteSchema,
  type MemoryEntryDto,
  type MemoryWriteDto,
} from '../../protocol/memory.ts';
import { actorOf } from '../auth/roles.ts';
import { requirePrincipal } from '../http/authenticate.ts';
import { sendError } from '../http/http-errors.ts';
import { parseInput } from '../http/parse-input.ts';
import type { MemoryService, RememberOutcome } from './memory-service.ts';

const ID_PARAMS = { type: 'object', properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } }, required: ['id'] } as const;
const TIER_PARAMS = { type: 'object', properties: { tier: { type: 'string' } }, required: ['tier'] } as const;

export function toEntryDto(entry: MemoryEntry): MemoryEntryDto {
  return { ...entry, entities: [...entry.entities], provenance: { ...entry.provenance } };
}

function writeDto(outcome: RememberOutcome): MemoryWriteDto & { ok?: false; error?: { code: string; message: string; retryable: boolean } } {
  return outcome.stored
    ? { stored: true, message: outcome.message, change: outcome.change, entry: toEntryDto(outcome.entry) }
    : // A refusal also carries the standard error body, so any client shows the reason.
      {
        stored: false,
        message: outcome.message,
        reasons: [...outcome.reasons],
        ok: false,
        error: { code: 'MEMORY_REJECTED', message: outcome.message, retryable: false },
      };
}

export function memoryRoutes(service: MemoryService) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/api/memory', async (request, reply) => {
      const input = parseInput(MemoryListQuerySchema, request.query);
      if (!input.ok) return sendError(reply, input.error);
      const result = await service.list(input.value);
      return result.ok ? { entries: result.value.entries.map(toEntryDto), total: result.value.total } : sendError(reply, result.error);
    });

    app.get<{ Params: { id: string } }>('/api/memory/:id', { schema: { params: ID_PARAMS } }, async (request, reply) => {
      const result = await service.detail(request.params.id);
      if (!result.ok) return sendError(reply, result.error);
      if (!result.value) return sendError(reply, jarvisError('NOT_FOUND', `no memory entry ${request.params.id}`));
      return {
        entry: toEntryDto(result.value.entry),
        versions: result.value.versions.map(({ oldText, newText, at, provenance }) => ({ oldText, newText, at, provenance })),
      };
    });

    app.post('/api/memory', { config: { minRole: 'operator' } }, async (request, reply) => {
      const input = parseInput(MemoryWriteSchema, request.body);
      if (!input.ok) return sendError(reply, input.error);
      const result = await service.remember(input.value.text, { writer: 'user', principal: actorOf(requirePrincipal(request)), sourceId: 'dashboard' });
      if (!result.ok) return sendError(reply, result.error);
      return reply.code(result.value.stored ? 200 : 422).send(writeDto(result.value));
    });

    app.put<{ Params: { id: string } }>('/api/memory/:id', { schema: { params: ID_PARAMS }, config: { minRole: 'operator' } }, async (request, reply) => {
      const input = parseInput(MemoryEditSchema, request.body);
      if (!input.ok) return sendError(reply, input.error);
      const by = actorOf(requirePrincipal(request));
      if (input.value.text !== undefined) {
        const edited = await service.edit(request.params.id, input.value.text, by);
        if (!edited.ok) return sendError(reply, edited.error);
        return reply.code(edited.value.stored ? 200 : 422).send(writeDto(edited.value));
      }
      const confirmed = await service.confirm(request.params.id, by);
      return confirmed.ok
        ? { stored: true, message: 'Confirmed.', change: 'confirmed', entry: toEntryDto(confirmed.value) }
        : sendError(reply, confirmed.error);
    });

    app.delete<{ Params: { id: string } }>('/api/memory/:id', { schema: { params: ID_PARAMS }, config: { minRole: 'operator' } }, async (request, reply) => {
      const result = await service.delete(request.params.id, actorOf(requirePrincipal(request)));
      if (!result.ok) return sendError(reply, result.error);
      return result.value ? { deleted: true } : sendError(reply, jarvisError('NOT_FOUND', `no memory entry ${request.params.id}`));
    });

    app.delete<{ Params: { tier: string } }>(
      '/api/memory/tiers/:tier',
      { schema: { params: TIER_PARAMS }, config: { minRole: 'admin' } },
      async (request, reply) => {
        const tier = MemoryTierSchema.safeParse(request.params.tier);
        if (!tier.success) return sendError(reply, jarvisError('INVALID_INPUT', `tier must be one of ${MemoryTierSchema.options.join(', ')}`));
        const result = await service.wipeTier(tier.data, actorOf(requirePrincipal(request)));
        return result.ok ? { wiped: result.value, tier: tier.data } : sendError(reply, result.error);
      },
    );

    app.post('/api/memory/consolidate', { config: { minRole: 'admin' } }, async (_request, reply) => {
      const result = await service.consolidate();
      return result.ok ? result.value : sendError(reply, result.error);
    });
  };
}
