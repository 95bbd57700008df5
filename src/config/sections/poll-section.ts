import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { milliseconds } from './fields.ts';

/**
 * `poll`: the cluster poll loop. PVE's pvestatd refreshes status every 10 s, so polling faster
 * than 10 s against a real cluster gains nothing; low values exist for tests and the simulator.
 */
export const pollSection = defineSection({
  key: 'poll',
  description: 'cluster poll interval, staleness and storage threshold',
  schema: z.strictObject({
    intervalMs: milliseconds(50, 3_600_000).default(10_000),
    /** Data older than this is flagged stale even without a failed poll; default 3 x interval. */
    staleAfterMs: milliseconds(100, 24 * 3_600_000).optional(),
    /** Used fraction (0..1) that raises a storage-threshold event. */
    storageThreshold: z
      .number({ error: 'expected a fraction between 0 and 1' })
      .gt(0, { error: 'expected a fraction between 0 and 1' })
      .max(1, { error: 'expected a fraction between 0 and 1' })
      .default(0.85),
  }),
  env: [{ name: 'JARVIS_POLL_INTERVAL_MS', path: ['intervalMs'], kind: 'number' }],
  flags: [{ name: '--poll-interval-ms', path: ['intervalMs'], kind: 'number' }],
});
