import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { hostAddress, nodeName, vmid } from './fields.ts';

/**
 * `protected`: resources the safety kernel hard-denies (never a model judgement). Every list is
 * optional; an absent list is derived from `topology.self` (its node, VM, Docker daemon, container
 * and the addresses of the VM and its node), so the default is the seed's protected set.
 * A list that is given replaces the derived one, and must still contain the self chain.
 */
export const protectedSection = defineSection({
  key: 'protected',
  description: 'resources the kernel never acts on destructively (defaults derived from topology.self)',
  schema: z.strictObject({
    nodes: z.array(nodeName, { error: 'expected a list of node names' }).optional(),
    guests: z.array(vmid, { error: 'expected a list of VMIDs' }).optional(),
    dockerHosts: z
      .array(z.string().regex(/^docker@\d+$/, { error: 'expected a host id like docker@103' }), { error: 'expected a list of host ids' })
      .optional(),
    containers: z
      .array(z.string().regex(/^docker@\d+\/[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: 'expected host/container like docker@103/jarvis' }), {
        error: 'expected a list of host/container ids',
      })
      .optional(),
    networkAddresses: z.array(hostAddress, { error: 'expected a list of addresses' }).optional(),
  }),
});
