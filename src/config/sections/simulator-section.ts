import { z } from 'zod';
import { defineSection } from './config-section.ts';

const count = (min: number, max: number) =>
  z
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` });

/**
 * `simulator`: size of the embedded simulated cluster that `jarvis start` runs when no `pve.url`
 * is set (ignored against a real cluster). The first four nodes and twenty guests are the seed
 * homelab (Home, pve, agent1 with VM 103, agent); more nodes are node5..nodeN, more guests are generated.
 */
export const simulatorSection = defineSection({
  key: 'simulator',
  description: 'size and seed of the embedded simulated cluster (no pve.url)',
  schema: z.strictObject({
    nodes: count(1, 64).default(4),
    guests: count(0, 10_000).default(20),
    seed: z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).default(1),
  }),
  env: [
    { name: 'JARVIS_SIM_NODES', path: ['nodes'], kind: 'number' },
    { name: 'JARVIS_SIM_GUESTS', path: ['guests'], kind: 'number' },
  ],
  flags: [
    { name: '--sim-nodes', path: ['nodes'], kind: 'number' },
    { name: '--sim-guests', path: ['guests'], kind: 'number' },
  ],
});
