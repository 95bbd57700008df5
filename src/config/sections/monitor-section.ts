import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { milliseconds } from './fields.ts';

const fraction = z
  .number({ error: 'expected a fraction between 0 and 1' })
  .gt(0, { error: 'expected a fraction between 0 and 1' })
  .max(1, { error: 'expected a fraction between 0 and 1' });
const severity = z.enum(['info', 'warning', 'critical'], { error: 'expected one of info, warning, critical' });
const clockTime = z.string({ error: 'expected a time HH:MM (UTC)' }).regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'expected a time HH:MM (UTC)' });
const window = z.strictObject({
  days: z.array(z.number().int().min(0).max(6), { error: 'expected day numbers 0-6 (0 = Sunday)' }).default([]),
  start: clockTime,
  end: clockTime,
});
const count = (max: number, min = 0) =>
  z
    .number({ error: `expected an integer ${min}-${max}` })
    .int({ error: `expected an integer ${min}-${max}` })
    .min(min, { error: `expected an integer ${min}-${max}` })
    .max(max, { error: `expected an integer ${min}-${max}` });
const RULES = [
  'node-offline',
  'quorum-lost',
  'quorum-at-edge',
  'guest-crashed',
  'node-pressure',
  'guest-pressure',
  'storage-full',
  'unit-failed',
  'container-restart-loop',
  'backup-failed',
  'backup-overdue',
  'self-pressure',
  'llm-canary',
  'dependency-down',
] as const;

/** One notification channel. Secrets (tokens, passwords, webhook secrets) come only from env / *_FILE (see docs/monitor.md). */
const channel = z.strictObject({
  type: z.enum(['ntfy', 'gotify', 'webhook', 'email'], { error: 'expected one of ntfy, gotify, webhook, email' }),
  /** ntfy: server URL; gotify: server URL; webhook: target URL. */
  url: z.string().url({ error: 'expected an absolute URL' }).optional(),
  /** ntfy topic. */
  topic: z
    .string()
    .regex(/^[-_A-Za-z0-9]{1,64}$/, { error: 'expected an ntfy topic (letters, digits, - and _)' })
    .optional(),
  /** email */
  smtpHost: z.string().min(1).optional(),
  smtpPort: z.number().int().min(1).max(65535).optional(),
  secure: z.boolean().optional(),
  from: z.string().min(3).optional(),
  to: z.array(z.string().min(3)).optional(),
  minSeverity: severity.default('warning'),
  maxPerHour: count(10_000).default(20),
});

/**
 * `monitor`: the deterministic rules' thresholds, the alert lifecycle, autonomy limits, the
 * adaptive analysis cadence and the notification channels.
 */
export const monitorSection = defineSection({
  key: 'monitor',
  description: 'anomaly rule thresholds, alert lifecycle, autonomy limits, analysis cadence, notification channels',
  schema: z.strictObject({
    enabled: z.boolean().default(true),
    disabledRules: z.array(z.enum(RULES, { error: `expected rule ids: ${RULES.join(', ')}` })).default([]),
    rules: z
      .strictObject({
        cpu: fraction.default(0.9),
        memory: fraction.default(0.92),
        ioWait: fraction.default(0.25),
        pressureWindowMs: milliseconds(0, 24 * 3_600_000).default(5 * 60_000),
        storageWarn: fraction.default(0.85),
        storageCritical: fraction.default(0.95),
        storageTtfCriticalMs: milliseconds(0, 30 * 86_400_000).default(6 * 3_600_000),
        storageTrendWindowMs: milliseconds(60_000, 7 * 86_400_000).default(30 * 60_000),
        restartLoopCount: count(1000).default(3),
        restartLoopWindowMs: milliseconds(10_000, 86_400_000).default(10 * 60_000),
        /** Last successful backup of a guest older than this: backup-overdue (0 = off; guests never backed up are not judged). */
        backupMaxAgeMs: milliseconds(0, 365 * 86_400_000).default(2 * 86_400_000),
        taskGraceMs: milliseconds(0, 3_600_000).default(2 * 60_000),
        /** A running backup explains CPU/IO-wait pressure (its node's, its own guest's CPU) for at most this long. */
        backupSuppressMaxMs: milliseconds(0, 7 * 86_400_000).default(6 * 3_600_000),
        dependencyGraceMs: milliseconds(0, 3_600_000).default(60_000),
        selfCpu: fraction.default(0.85),
        selfMemory: fraction.default(0.9),
      })
      .prefault({}),
    /** Slow cadences for the reads that cost more than the snapshot. */
    unitsEveryMs: milliseconds(10_000, 86_400_000).default(5 * 60_000),
    containersEveryMs: milliseconds(5_000, 86_400_000).default(60_000),
    tasksEveryMs: milliseconds(5_000, 86_400_000).default(60_000),
    ioWaitEveryMs: milliseconds(10_000, 86_400_000).default(5 * 60_000),
    alerts: z
      .strictObject({
        clearAfterMs: milliseconds(0, 86_400_000).default(60_000),
        flapWindowMs: milliseconds(0, 7 * 86_400_000).default(30 * 60_000),
        flapCount: count(100).default(2),
      })
      .prefault({}),
    autonomy: z
      .strictObject({
        enabled: z.boolean().default(true),
        cooldownMs: milliseconds(0, 7 * 86_400_000).default(30 * 60_000),
        maxPerHour: count(1000).default(6),
      })
      .prefault({}),
    analysis: z
      .strictObject({
        enabled: z.boolean().default(true),
        calmMs: milliseconds(1_000, 86_400_000).default(5 * 60_000),
        incidentMs: milliseconds(1_000, 86_400_000).default(30_000),
        backoff: z.number().min(1).max(10).default(2),
        /** Share (0..1) of the context the gateway leaves that the analysis gives to memory about the incident's guest/node (0 = none). */
        memoryShare: z
          .number({ error: 'expected a fraction between 0 and 1 (0 = no memory)' })
          .min(0, { error: 'expected a fraction between 0 and 1 (0 = no memory)' })
          .max(1, { error: 'expected a fraction between 0 and 1 (0 = no memory)' })
          .default(0.5),
        escalation: z
          .strictObject({
            enabled: z.boolean().default(false),
            minSeverity: severity.default('critical'),
            afterMs: milliseconds(0, 86_400_000).default(15 * 60_000),
            maxPerDay: count(1000).default(5),
          })
          .prefault({}),
      })
      .prefault({}),
    notify: z
      .strictObject({
        /** Public dashboard URL used in notification links (`<url>/#alert-<id>`, `<url>/#approval-<ticket>`). */
        dashboardUrl: z.string().url({ error: 'expected the dashboard URL, e.g. https://jarvis.lan:8080' }).optional(),
        channels: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { error: 'expected a channel name (lowercase, digits, -)' }), channel).default({}),
        quietHours: z.array(window).default([]),
        quietMinSeverity: severity.default('critical'),
        digestOver: count(1000).default(3),
        retries: count(10).default(3),
        /** Deliveries one channel may hold waiting in the outbox; when full the oldest is dropped (logged, counted). */
        outboxLimit: count(10_000, 1).default(100),
      })
      .prefault({}),
  }),
});
