/**
 * Closes what `jarvis start` opened, last opened first, one step at a time. A step that throws is
 * logged and skipped; a step that has not finished after `stepTimeoutMs` is logged by name and
 * left behind, so one stuck part (a socket that never drains, a model call that never returns)
 * cannot hold the whole shutdown, and the log says which part it was.
 */
import type { Logger } from '../../core/ports/logger.ts';

export interface ShutdownStep {
  readonly name: string;
  readonly run: () => Promise<unknown> | unknown;
}

export interface ShutdownReport {
  readonly timedOut: readonly string[];
  readonly failed: readonly string[];
}

export const SHUTDOWN_STEP_TIMEOUT_MS = 5_000;

export async function runShutdown(steps: readonly ShutdownStep[], options: { logger: Logger; stepTimeoutMs?: number }): Promise<ShutdownReport> {
  const timeoutMs = options.stepTimeoutMs ?? SHUTDOWN_STEP_TIMEOUT_MS;
  const timedOut: string[] = [];
  const failed: string[] = [];
  for (const step of [...steps].reverse()) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    const outcome = await Promise.race([
      Promise.resolve()
        .then(step.run)
        .then(
          () => 'done' as const,
          (error: unknown) => {
            options.logger.warn({ step: step.name, error: error instanceof Error ? error.message : String(error) }, 'shutdown step failed; going on');
            return 'failed' as const;
          },
        ),
      late,
    ]);
    clearTimeout(timer);
    if (outcome === 'failed') failed.push(step.name);
    if (outcome === 'late') {
      timedOut.push(step.name);
      options.logger.warn({ step: step.name, timeoutMs }, 'shutdown step did not finish in time; going on without it');
    }
  }
  return { timedOut, failed };
}
