/**
 * What the guarded executor hands an allowed action to. Implementations live with their
 * technology (PVE guest power via GuestActuator, SSH remediation via ShellRunner.doRun, Docker)
 * and are combined by the composition root; only the executor calls `doRun`.
 */
import type { Action } from '../../core/domain/action.ts';
import type { JarvisError, Result } from '../../core/errors.ts';
import type { TaskStatus } from '../../core/ports/cluster.ts';
import type { ResolvedTarget } from '../../core/safety/resolve-target.ts';

export interface ActionOutcome {
  /** One line for the user and the audit row, e.g. "VM 101 rebooted (task OK)". */
  readonly summary: string;
  /** True when nothing needed doing (already running, ...): reported as a no-op, not an error. */
  readonly noOp?: boolean | undefined;
  readonly output?: string | undefined;
  readonly task?: TaskStatus | undefined;
}

export interface ActionRunner {
  /**
   * Runs an action the kernel allowed, waiting for its PVE task (or equivalent) to end. Honour
   * `signal`. `resolved` is the target as the kernel resolved it in the snapshot it decided on:
   * act on exactly that (node, VMID, type) and refuse (DENIED) if the live identity differs,
   * never re-resolve.
   */
  doRun(action: Action, signal: AbortSignal, resolved?: ResolvedTarget): Promise<Result<ActionOutcome, JarvisError>>;
  /**
   * False when this runner cannot run that kind in this setup (no adapter for it). The executor then
   * refuses the action up front instead of issuing a ticket that could never run. Absent = assume yes.
   */
  supports?(kind: Action['kind']): boolean;
}

/** Routes each action kind to the runner that implements it; unrouted kinds fail with INTERNAL. */
export function routeRunners(routes: Partial<Record<Action['kind'], ActionRunner>>): ActionRunner {
  return {
    supports: (kind) => routes[kind] !== undefined,
    async doRun(action, signal, resolved) {
      const runner = routes[action.kind];
      if (!runner) return { ok: false, error: { code: 'INTERNAL', message: `no runner is configured for ${action.kind}`, retryable: false } };
      return runner.doRun(action, signal, resolved);
    },
  };
}
