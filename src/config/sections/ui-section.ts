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
  }),
});
