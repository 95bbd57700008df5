import { z } from 'zod';
import { SEED_TOPOLOGY } from '../../core/domain/topology.ts';
import { defineSection } from './config-section.ts';
import { hostAddress, nodeName, vmid } from './fields.ts';

const seed = SEED_TOPOLOGY;

const topologyNode = z.strictObject({
  name: nodeName,
  address: hostAddress.optional(),
  role: z.enum(['workload', 'management-host', 'watchdog'], { error: 'expected one of workload, management-host, watchdog' }).default('workload'),
  votes: z
    .number({ error: 'expected an integer 0-255' })
    .int({ error: 'expected an integer 0-255' })
    .min(0, { error: 'expected an integer 0-255' })
    .max(255, { error: 'expected an integer 0-255' })
    .default(1),
});

const selfLocation = z.strictObject({
  container: z
    .string({ error: 'expected a container name' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: 'expected a Docker container name' })
    .default(seed.self.container),
  /** Default: docker@<vmid>. */
  dockerHost: z
    .string()
    .regex(/^docker@\d+$/, { error: 'expected a host id like docker@103' })
    .optional(),
  vmid: vmid.default(seed.self.vmid),
  vmName: z.string({ error: 'expected a VM name' }).min(1, { error: 'expected a VM name' }).default(seed.self.vmName),
  node: nodeName.default(seed.self.node),
  address: hostAddress.default(seed.self.address),
});

/**
 * `topology`: the homelab's shape — nodes, where Jarvis itself runs (the chain the kernel
 * protects) and which guests run Docker daemons. Defaults are the seed topology.
 */
export const topologySection = defineSection({
  key: 'topology',
  description: 'cluster nodes, where Jarvis runs (self) and the Docker hosts; defaults = the seed homelab',
  schema: z.strictObject({
    clusterName: z.string({ error: 'expected a cluster name' }).min(1, { error: 'expected a cluster name' }).default(seed.clusterName),
    nodes: z
      .array(topologyNode, { error: 'expected a list of nodes ({ name, address?, role?, votes? })' })
      .min(1, { error: 'expected at least one node' })
      .default(seed.nodes.map((node) => ({ ...node }))),
    self: selfLocation.prefault({}),
    /** Docker host id -> VMID of the guest running the daemon. Default: { <self.dockerHost>: <self.vmid> }. */
    dockerHosts: z
      .record(z.string().regex(/^docker@\d+$/, { error: 'expected a host id like docker@103' }), vmid, { error: 'expected a map of docker@<vmid> -> vmid' })
      .optional(),
  }),
});
