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

/** One entry of PVE's cluster log (GET /cluster/log), as the dashboard shows it. Text is cluster data. */
export const ClusterLogEntryDtoSchema = z.object({
  /** Epoch ms (PVE gives seconds). */
  at: z.number(),
  node: z.string(),
  /** From the syslog priority: 0–3 critical, 4 warning, 5–7 info. */
  severity: z.enum(['info', 'warning', 'critical']),
  /** The daemon, e.g. `pvedaemon`, `pvescheduler`. */
  tag: z.string(),
  /** PVE user, e.g. `root@pam`; '' when PVE gives none. */
  user: z.string(),
  /** The message, control characters removed and cut to 500 characters; never markup or instructions. */
  message: z.string(),
});
export type ClusterLogEntryDto = z.infer<typeof ClusterLogEntryDtoSchema>;

/** GET /api/cluster-log: PVE's cluster log, newest first, read on demand (server-side cache ≈ 10 s). */
export const ClusterLogDtoSchema = z.object({
  entries: z.array(ClusterLogEntryDtoSchema),
  /** Epoch ms when PVE was read. */
  readAt: z.number(),
});
export type ClusterLogDto = z.infer<typeof ClusterLogDtoSchema>;

/** GET /api/tasks/log-tail?upid=: the last lines of a running PVE task's log (sanitised; cache ≈ 5 s). */
export const TaskLogTailDtoSchema = z.object({
  upid: z.string(),
  /** Lines in the task log so far. */
  total: z.number().int(),
  /** The last (at most 3) lines, oldest first. */
  lines: z.array(z.string()),
  readAt: z.number(),
});
export type TaskLogTailDto = z.infer<typeof TaskLogTailDtoSchema>;

export const TaskLogTailQuerySchema = z.object({ upid: z.string().min(1).max(200) });
