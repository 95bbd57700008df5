/**
 * Fault and scenario vocabulary of the simulator's admin API. Persistent faults stay active until
 * removed (DELETE /faults or POST /reset); one-shot faults (`guest-crash`, `container-crash`)
 * act once and are not kept.
 */
import { z } from 'zod';

const node = z.string().min(1);
const pathPattern = z.string().min(1).describe('glob on the path after /api2/json; `*` matches any characters');

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('node-offline'), node }),
  z.object({ kind: z.literal('quorum-loss') }),
  z.object({ kind: z.literal('disk-fill'), node, storage: z.string().optional(), stepFraction: z.number().positive().max(1).optional() }),
  z.object({ kind: z.literal('cpu-runaway'), node: z.string().optional(), vmid: z.number().int().optional() }),
  z.object({ kind: z.literal('memory-pressure'), node: z.string().optional(), vmid: z.number().int().optional() }),
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0).max(600_000), path: pathPattern.optional() }),
  z.object({ kind: z.literal('http-error'), path: pathPattern, status: z.number().int().min(400).max(599).optional(), message: z.string().optional() }),
  z.object({ kind: z.literal('hang'), path: pathPattern }),
  z.object({ kind: z.literal('malformed'), path: pathPattern }),
  z.object({ kind: z.literal('service-failed'), node, service: z.string().min(1) }),
  z.object({ kind: z.literal('docker-down'), host: z.string().optional() }),
  z.object({ kind: z.literal('storage-offline'), storage: z.string().min(1), node: z.string().optional() }),
  z.object({ kind: z.literal('guest-crash'), vmid: z.number().int() }),
  z.object({ kind: z.literal('container-crash'), host: z.string().optional(), container: z.string().min(1), exitCode: z.number().int().optional() }),
  /** The container crashes and Docker restarts it on every metrics tick (restart count climbs, state `restarting`). */
  z.object({ kind: z.literal('container-restart-loop'), host: z.string().optional(), container: z.string().min(1) }),
  /** One-shot: a vzdump of the guest starts now and fails after `durationMs` (default 30 s). */
  z.object({ kind: z.literal('backup-failed'), vmid: z.number().int(), durationMs: z.number().int().min(0).max(86_400_000).optional() }),
]);

export type Fault = z.infer<typeof faultSchema>;
export type FaultKind = Fault['kind'];

/** A persistent fault as kept by the world. */
export interface ActiveFault {
  readonly id: number;
  /** Epoch ms when it was applied. */
  readonly since: number;
  readonly fault: Fault;
}

export const ONE_SHOT_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>(['guest-crash', 'container-crash', 'backup-failed']);

/** True when `path` (after /api2/json) matches the glob `pattern` (`*` = any characters). */
export function pathMatches(pattern: string | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(path);
}
