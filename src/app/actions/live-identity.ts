/**
 * Exact execution for the non-guest runners (issue 8): a service, temp cleanup or container act
 * runs on the node the kernel resolved (`decision.resolved`), after one live check that the
 * identity still holds — the node still answers, the Docker host's VM is still on the node it was
 * on. A changed identity is refused (DENIED, audited as the act's result), never re-resolved.
 */
import type { Action } from '../../core/domain/action.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { ResolvedTarget } from '../../core/safety/resolve-target.ts';

/** Live reads the runners check the decided identity with (one call each). */
export interface LiveIdentity {
  /** True when `node` answers right now (PVE node status); false when offline, gone or unreachable. */
  readonly nodeOnline: (node: string, signal: AbortSignal) => Promise<boolean>;
  /** True when guest `vmid` is on `node` right now. */
  readonly guestOnNode: (node: string, vmid: number, signal: AbortSignal) => Promise<boolean>;
}

/** The live reads over the PVE API: node status, and the guest list of one node. */
export function liveIdentityOf(cluster: Pick<ClusterApi, 'nodeStatus' | 'listGuests'>): LiveIdentity {
  return {
    nodeOnline: async (node, signal) => (await cluster.nodeStatus(node, { signal })).ok,
    guestOnNode: async (node, vmid, signal) => {
      const guests = await cluster.listGuests(node, { signal });
      return guests.ok && guests.value.some((guest) => guest.vmid === vmid);
    },
  };
}

function changed(what: string): Result<never, JarvisError> {
  return err(jarvisError('DENIED', `identity changed since the decision: ${what}; refused, not re-resolved`));
}

/**
 * The node a node-scoped act (service.*, cleanup.temp) runs on: the one the kernel resolved,
 * confirmed online by `live`. Without a decision (a runner called outside the executor) it is the
 * action's own node.
 */
export async function decidedNode(
  action: Action,
  resolved: ResolvedTarget | undefined,
  live: LiveIdentity | undefined,
  signal: AbortSignal,
): Promise<Result<string, JarvisError>> {
  const named = action.target.type === 'service' || action.target.type === 'node' ? action.target.node : undefined;
  const node = resolved ? resolved.node : named;
  if (node === undefined) return err(jarvisError('DENIED', `${action.kind} has no resolved node; refusing to act`));
  if (named !== undefined && named !== node) return changed(`the action names node ${named} but the kernel decided on ${node}`);
  if (live && !(await live.nodeOnline(node, signal))) return changed(`node ${node} is not online now`);
  return ok(node);
}

/**
 * A container act: the Docker host's VM (`dockerHosts[host]`) must still be on the node the kernel
 * resolved for it. Without a decision or live reads there is nothing to compare (outside the executor).
 */
export async function checkDockerHost(
  host: string,
  resolved: ResolvedTarget | undefined,
  dockerHosts: Readonly<Record<string, number>> | undefined,
  live: LiveIdentity | undefined,
  signal: AbortSignal,
): Promise<Result<void, JarvisError>> {
  if (!resolved || !live) return ok(undefined);
  const vmid = dockerHosts?.[host];
  if (resolved.node === undefined || vmid === undefined) return err(jarvisError('DENIED', `Docker host ${host} has no resolved VM and node; refusing to act`));
  if (!(await live.guestOnNode(resolved.node, vmid, signal))) return changed(`Docker host ${host} (VMID ${vmid}) is no longer on ${resolved.node}`);
  return ok(undefined);
}
