import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { milliseconds } from './fields.ts';

/** `ui`: dashboard defaults. Freshness thresholds follow the spec (30 s warning, 60 s banner). */
export const uiSection = defineSection({
  key: 'ui',
  description: 'dashboard defaults: visual mode and data-age thresholds',
  schema: z.strictObject({
    mode: z.enum(['ops', 'jarvis', 'minimal'], { error: 'expected one of ops, jarvis, minimal' }).default('ops'),
    staleWarnMs: milliseconds(1_000, 3_600_000).default(30_000),
    staleBannerMs: milliseconds(1_000, 3_600_000).default(60_000),
    /**
     * How far a metric may move before the WebSocket delta re-sends it (default: one unit of what the
     * dashboard shows). Structure (status, names, guests added/removed/moved) is always sent exact.
     */
    deltaPrecision: z
      .strictObject({
        cpu: z
          .number({ error: 'expected a CPU fraction between 0 and 1' })
          .min(0, { error: 'expected a CPU fraction between 0 and 1' })
          .max(1, { error: 'expected a CPU fraction between 0 and 1' })
          .default(0.01),
        bytesUnitFraction: z
          .number({ error: 'expected a fraction between 0 and 1' })
          .min(0, { error: 'expected a fraction between 0 and 1' })
          .max(1, { error: 'expected a fraction between 0 and 1' })
          .default(0.1),
        uptimeSeconds: z
          .number({ error: 'expected seconds between 0 and 86400' })
          .min(0, { error: 'expected seconds between 0 and 86400' })
          .max(86_400, { error: 'expected seconds between 0 and 86400' })
          .default(60),
      })
      .prefault({}),
  }),
});
