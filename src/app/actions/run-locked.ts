/**
 * Runs an allowed action under its node lock with a deadline. The lock is released on every
 * path: success, failure, exception and timeout (a runner that ignores the abort signal is
 * abandoned at the deadline and its lock released).
 */
import type { Action } from '../../core/domain/action.ts';
import { jarvisError, toJarvisError, type JarvisError } from '../../core/errors.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { NodeLocks } from '../../core/ports/locks.ts';
import type { Decision } from '../../core/safety/decision.ts';
import type { ActionOutcome, ActionRunner } from './action-runner.ts';

export type LockedRun = ({ ok: true; value: ActionOutcome } | { ok: false; error: JarvisError }) & { durationMs: number };

export async function runLocked(
  deps: { locks: NodeLocks; runner: ActionRunner; clock: Clock },
  action: Action,
  decision: Decision,
  options: {
    timeoutMs: number;
    signal?: AbortSignal | undefined;
    /** Runs after the lock is taken and before the runner (e.g. consume the ticket); a failure runs nothing. */
    beforeRun?: (() => Promise<{ ok: true } | { ok: false; error: JarvisError }>) | undefined;
  },
): Promise<LockedRun> {
  const started = deps.clock.now();
  const node = decision.lockNode;
  const holder = decision.actionHash;
  const needsLock = decision.tier !== 'green';
  if (needsLock) {
    if (node === undefined) return { ok: false, error: jarvisError('DENIED', `${action.kind} has no node to lock; refusing to act unlocked`), durationMs: 0 };
    const taken = deps.locks.tryAcquire({ node, holder, acquiredAt: started, expiresAt: started + options.timeoutMs + 5_000 }, started);
    if (!taken) {
      const busy = deps.locks.state(started).held[0];
      return { ok: false, error: jarvisError('DENIED', `node ${busy?.node ?? '?'} is under operation; Jarvis acts on one node at a time`), durationMs: 0 };
    }
  }
  if (options.beforeRun) {
    let ready: { ok: true } | { ok: false; error: JarvisError };
    try {
      ready = await options.beforeRun();
    } catch (thrown) {
      ready = { ok: false, error: toJarvisError(thrown) };
    }
    if (!ready.ok) {
      if (needsLock && node !== undefined) deps.locks.release(node, holder);
      return { ok: false, error: ready.error, durationMs: 0 };
    }
  }
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const deadline = new Promise<LockedRun>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error('deadline'));
        resolve({
          ok: false,
          error: jarvisError('TASK_TIMEOUT', `${action.kind} did not finish within ${options.timeoutMs} ms`),
          durationMs: options.timeoutMs,
        });
      }, options.timeoutMs);
    });
    const run = deps.runner.doRun(action, controller.signal, decision.resolved).then(
      (result): LockedRun => ({ ...result, durationMs: deps.clock.now() - started }),
      (thrown: unknown): LockedRun => ({ ok: false, error: toJarvisError(thrown), durationMs: deps.clock.now() - started }),
    );
    return await Promise.race([run, deadline]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (needsLock && node !== undefined) deps.locks.release(node, holder);
  }
}
