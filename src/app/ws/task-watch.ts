import type { ClusterApi, TaskSummary } from '../../core/ports/cluster.ts';
import type { ServerMessage, TaskDto } from '../../protocol/index.ts';

export interface TaskWatchOptions {
  /** Poll period while watching (ms). Default 1000. */
  readonly intervalMs?: number;
  /** Report only tasks that started at or after this epoch-seconds instant. */
  readonly sinceSeconds: number;
}

function taskDto(task: TaskSummary, running: boolean): TaskDto {
  const vmid = Number(task.id);
  const succeeded = task.status === undefined ? undefined : task.status === 'OK' || task.status.startsWith('WARNINGS');
  return {
    upid: task.upid,
    node: task.node,
    type: task.type,
    ...(Number.isInteger(vmid) && vmid >= 100 ? { vmid } : {}),
    status: running ? 'running' : 'stopped',
    ...(!running && task.status !== undefined ? { exitstatus: task.status } : {}),
    ...(!running && succeeded !== undefined ? { succeeded } : {}),
    startedAt: task.starttime * 1000,
    ...(task.endtime !== undefined ? { endedAt: task.endtime * 1000 } : {}),
  };
}

/**
 * Follows PVE tasks while an action runs, so the dashboard shows progress: publishes `task-start`
 * when a task appears running, `task-end` when it stops. Polls /cluster/tasks every `intervalMs`
 * only between start and `stop()` (which does one last poll); a failed poll is skipped silently
 * (the action's own result still reports the outcome).
 */
export function watchTasks(cluster: Pick<ClusterApi, 'clusterTasks'>, publish: (message: ServerMessage) => void, options: TaskWatchOptions): { stop(): Promise<void> } {
  const running = new Set<string>();
  let inFlight: Promise<void> | undefined;
  async function poll(): Promise<void> {
    const result = await cluster.clusterTasks({ timeoutMs: 5_000 });
    if (!result.ok) return;
    for (const task of result.value) {
      if (task.starttime < options.sinceSeconds) continue;
      const isRunning = task.endtime === undefined && task.status === undefined;
      if (isRunning && !running.has(task.upid)) {
        running.add(task.upid);
        publish({ type: 'task-start', payload: taskDto(task, true) });
      } else if (!isRunning && running.has(task.upid)) {
        running.delete(task.upid);
        publish({ type: 'task-end', payload: taskDto(task, false) });
      }
    }
  }
  const tick = () => {
    inFlight ??= poll().finally(() => (inFlight = undefined));
  };
  const timer = setInterval(tick, options.intervalMs ?? 1000);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      await poll();
    },
  };
}
