/**
 * Actions as data: every write Jarvis may perform is one `Action` value. The model, the monitor,
 * MCP clients and humans only ever *propose* actions; the safety kernel (core/safety/decide.ts)
 * decides, and the guarded executor (app/actions) runs what was allowed.
 * The zod schemas are the wire contract (`jarvis plan --schema` prints them as JSON schema).
 */
import { z } from 'zod';
import type { GuestType } from './cluster.ts';
import { guestName } from './guest-name.ts';

/** Every act, named. Default tiers live in ./tier.ts. */
export const ACTION_KINDS = [
  'guest.start',
  'guest.stop',
  'guest.shutdown',
  'guest.reboot',
  'guest.migrate',
  'guest.config',
  'service.restart',
  'service.start',
  'service.stop',
  'container.start',
  'container.stop',
  'container.restart',
  'docker.restart',
  'node.reboot',
  'node.shutdown',
  'node.network',
  'cluster.config',
  'storage.change',
  'storage.format',
  'network.change',
  'firewall.change',
  'cleanup.temp',
  'diagnostic.run',
] as const;
export const actionKindSchema = z.enum(ACTION_KINDS);
export type ActionKind = (typeof ACTION_KINDS)[number];

const name = z.string().min(1).max(128);

/**
 * What an action acts on. `type` discriminates. `docker-host` (the Docker daemon itself, e.g.
 * `docker@103`) is the target of `docker.restart`.
 */
export const targetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('node'), node: name }).strict(),
  z.object({ type: z.literal('guest'), vmid: z.number().int().min(100).max(999_999_999), node: name.optional(), name: name.optional() }).strict(),
  z.object({ type: z.literal('service'), node: name, unit: name }).strict(),
  z.object({ type: z.literal('container'), host: name, name }).strict(),
  z.object({ type: z.literal('docker-host'), host: name }).strict(),
  z.object({ type: z.literal('storage'), node: name.optional(), storage: name }).strict(),
  z.object({ type: z.literal('network-interface'), node: name.optional(), address: name.optional(), iface: name }).strict(),
  z.object({ type: z.literal('cluster') }).strict(),
]);
export type Target = z.infer<typeof targetSchema>;
export type TargetType = Target['type'];

/** Who proposes the action. */
export const actorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), id: name }).strict(),
  z.object({ kind: z.literal('model'), modelId: name, conversationId: name.optional() }).strict(),
  z.object({ kind: z.literal('monitor'), rule: name }).strict(),
  z.object({ kind: z.literal('mcp-client'), clientId: name }).strict(),
]);
export type Actor = z.infer<typeof actorSchema>;

/** Where a target value came from when it was read out of cluster data (log line, VM description, ...). */
export const taintSourceSchema = z.object({ source: name, detail: z.string().max(512).optional() }).strict();
export type TaintSource = z.infer<typeof taintSourceSchema>;

export const expectedIdentitySchema = z.object({ vmid: z.number().int().optional(), name: name.optional(), node: name.optional() }).strict();
export type ExpectedIdentity = z.infer<typeof expectedIdentitySchema>;

export const actionSchema = z
  .object({
    kind: actionKindSchema,
    target: targetSchema,
    params: z.record(z.string(), z.unknown()).default({}),
    expectedIdentity: expectedIdentitySchema.optional(),
    actor: actorSchema,
    /** The proposer's stated reason (the model's reasoning is recorded in the audit log). */
    reason: z.string().max(2000),
    /** Non-empty when any target value was derived from cluster data: never auto-approved. */
    taint: z.array(taintSourceSchema).optional(),
  })
  .strict();
export type Action = z.infer<typeof actionSchema>;

/**
 * Short human label of a target, e.g. `VM 103`, `CT 207`, `node agent1`, `docker@103/jarvis`.
 * `guestType` is the guest's kind as the snapshot knows it (see guestName; unknown: `guest N`).
 */
export function describeTarget(target: Target, guestType?: GuestType): string {
  switch (target.type) {
    case 'node':
      return `node ${target.node}`;
    case 'guest':
      return guestName(guestType, target.vmid);
    case 'service':
      return `${target.unit}.service on ${target.node}`;
    case 'container':
      return `${target.host}/${target.name}`;
    case 'docker-host':
      return target.host;
    case 'storage':
      return `storage ${target.node ? `${target.node}/` : ''}${target.storage}`;
    case 'network-interface':
      return `${target.iface} on ${target.node ?? target.address ?? '?'}`;
    case 'cluster':
      return 'cluster';
  }
}

/** Target types each kind accepts (anything else is denied as malformed). */
export const KIND_TARGETS: Readonly<Record<ActionKind, readonly TargetType[]>> = {
  'guest.start': ['guest'],
  'guest.stop': ['guest'],
  'guest.shutdown': ['guest'],
  'guest.reboot': ['guest'],
  'guest.migrate': ['guest'],
  'guest.config': ['guest'],
  'service.restart': ['service'],
  'service.start': ['service'],
  'service.stop': ['service'],
  'container.start': ['container'],
  'container.stop': ['container'],
  'container.restart': ['container'],
  'docker.restart': ['docker-host'],
  'node.reboot': ['node'],
  'node.shutdown': ['node'],
  'node.network': ['node', 'network-interface'],
  'cluster.config': ['cluster'],
  'storage.change': ['storage'],
  'storage.format': ['storage'],
  'network.change': ['network-interface'],
  'firewall.change': ['node', 'cluster', 'guest'],
  'cleanup.temp': ['node'],
  'diagnostic.run': ['node', 'guest', 'cluster'],
};

/** Kinds that cannot take anything down (start something, read, delete old temp files). */
export const NON_DISRUPTIVE_KINDS: ReadonlySet<ActionKind> = new Set<ActionKind>([
  'guest.start',
  'service.start',
  'container.start',
  'cleanup.temp',
  'diagnostic.run',
]);
