import { z } from 'zod';

/**
 * Alerts on the wire: GET /api/alerts, GET /api/alerts/:id, POST /api/alerts/:id/{ack,snooze,resolve},
 * and the WebSocket messages `alert-change` (an alert opened, changed or resolved) and
 * `alert-notify` (a notification the dashboard channel shows as a toast).
 * Titles and facts may carry cluster-originated names: render as text, never as HTML.
 */
export const AlertSeveritySchema = z.enum(['info', 'warning', 'critical']);
export const AlertStateSchema = z.enum(['open', 'acknowledged', 'snoozed', 'resolved']);

export const AlertDtoSchema = z.object({
  id: z.string(),
  rule: z.string(),
  target: z.string(),
  severity: AlertSeveritySchema,
  title: z.string(),
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  state: AlertStateSchema,
  firstSeen: z.number(),
  lastSeen: z.number(),
  count: z.number().int(),
  snoozedUntil: z.number().optional(),
  acknowledgedBy: z.string().optional(),
  resolvedAt: z.number().optional(),
  resolvedBy: z.string().optional(),
  flapping: z.boolean(),
  /** The latest analysis (advice only, never an act), when the model gave one. */
  analysis: z.object({ text: z.string(), origin: z.string(), at: z.number() }).optional(),
});
export type AlertDto = z.infer<typeof AlertDtoSchema>;

export const AlertTimelineEntryDtoSchema = z.object({
  at: z.number(),
  kind: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type AlertTimelineEntryDto = z.infer<typeof AlertTimelineEntryDtoSchema>;

/**
 * The audit row an autonomous act's timeline entry links to (`data.auditSeq`). Tolerant of older
 * stored entries, which carry only `data.actionHash`: they have no seq (undefined), and the
 * dashboard shows the hash instead.
 */
export function timelineAuditSeq(entry: Pick<AlertTimelineEntryDto, 'data'>): number | undefined {
  const seq = entry.data?.['auditSeq'];
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

export const AlertListSchema = z.object({ alerts: z.array(AlertDtoSchema) });
export const AlertDetailSchema = z.object({ alert: AlertDtoSchema, timeline: z.array(AlertTimelineEntryDtoSchema) });

export const AlertSnoozeRequestSchema = z.strictObject({
  /** Minutes to snooze (1 minute .. 7 days). */
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});

export const AlertNotifySchema = z.object({
  kind: z.string(),
  severity: AlertSeveritySchema,
  title: z.string(),
  body: z.string(),
  url: z.string().optional(),
  alertId: z.string().optional(),
  ticketId: z.string().optional(),
});
export type AlertNotifyDto = z.infer<typeof AlertNotifySchema>;
