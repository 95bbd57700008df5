import { err, jarvisError, type JarvisError, type Result } from '../../core/errors.ts';
import type { CallOptions, TaskRef, TaskStatus, WaitOptions } from '../../core/ports/cluster.ts';

export type TaskStatusFn = (task: TaskRef, options?: CallOptions) => Promise<Result<TaskStatus, JarvisError>>;

export const DEFAULT_TASK_DEADLINE_MS = 120_000;
const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 2_000;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Polls a task until PVE reports it stopped, with backoff (200 ms x1.5 up to 2 s, or a fixed
 * `pollMs`). Outcome choice: a task that ran and FAILED is still `ok` with `succeeded: false` and
 * PVE's `exitstatus` text, because the wait itself succeeded and callers (executor, tools) need
 * that text to report; only "could not find out" is an error: TASK_TIMEOUT at the deadline
 * (default 120 s), or the non-retryable error of a status call. Retryable errors (a poll timing
 * out, the node briefly unreachable) are retried until the deadline.
 */
export async function waitForTask(
  taskStatus: TaskStatusFn,
  task: TaskRef,
  options: WaitOptions = {},
  now: () => number = Date.now,
): Promise<Result<TaskStatus, JarvisError>> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_TASK_DEADLINE_MS;
  const deadline = now() + deadlineMs;
  let pause = options.pollMs ?? FIRST_POLL_MS;
  let last: JarvisError | undefined;
  for (;;) {
    if (options.signal?.aborted) {
      return err(jarvisError('TASK_TIMEOUT', `stopped waiting for ${task.upid}: cancelled by the caller`, { details: { upid: task.upid, cancelled: true } }));
    }
    const remaining = deadline - now();
    const status = await taskStatus(task, { signal: options.signal, timeoutMs: Math.max(1, Math.min(options.timeoutMs ?? 10_000, remaining)) });
    if (status.ok && status.value.status === 'stopped') return status;
    if (!status.ok) {
      if (!status.error.retryable) return status;
      last = status.error;
    }
    const left = deadline - now();
    if (left <= 0) {
      return err(
        jarvisError('TASK_TIMEOUT', `task ${task.upid} still not finished after ${deadlineMs} ms`, {
          details: { upid: task.upid, node: task.node, deadlineMs, lastError: last?.code },
          hint: 'the task may still be running on the node: check it in the PVE task list',
        }),
      );
    }
    await sleep(Math.min(pause, left), options.signal);
    if (options.pollMs === undefined) pause = Math.min(MAX_POLL_MS, Math.round(pause * 1.5));
  }
}
