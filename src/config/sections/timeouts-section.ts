import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { milliseconds } from './fields.ts';

/** `timeouts`: every outside call has one (ms). */
export const timeoutsSection = defineSection({
  key: 'timeouts',
  description: 'per-call timeouts for PVE, SSH, Docker and the overall PVE task deadline (ms)',
  schema: z.strictObject({
    pveMs: milliseconds(100, 300_000).default(10_000),
    sshMs: milliseconds(100, 300_000).default(15_000),
    dockerMs: milliseconds(100, 300_000).default(10_000),
    taskMs: milliseconds(1_000, 3_600_000).default(120_000),
  }),
  env: [{ name: 'JARVIS_TIMEOUT_PVE_MS', path: ['pveMs'], kind: 'number' }],
});
