import { z } from 'zod';

/**
 * One entry of the events feed: cluster changes (from snapshot diffs), monitor findings, action
 * outcomes and system notices. `data` keeps the structured original (e.g. the domain ClusterEvent).
 */
export const EventDtoSchema = z.object({
  /** Unique, increasing per server run (use it for paging and de-duplication). */
  id: z.number().int(),
  /** Epoch ms when it happened (server clock). */
  at: z.number(),
  /** Noun-verb, e.g. `node-offline`, `guest-stopped`, `action-done`, `quorum-lost`. */
  type: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  source: z.enum(['cluster', 'monitor', 'action', 'system']),
  /** One line for humans; cluster-sourced text is sanitised by the server. */
  summary: z.string(),
  node: z.string().optional(),
  vmid: z.number().int().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type EventDto = z.infer<typeof EventDtoSchema>;

/** GET /api/events?after=ID&limit=N -> newest last; `after` returns only events with id > after. */
export const EventsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type EventsQuery = z.infer<typeof EventsQuerySchema>;

export const EventsPageSchema = z.object({
  events: z.array(EventDtoSchema),
});
export type EventsPage = z.infer<typeof EventsPageSchema>;
