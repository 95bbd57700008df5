/**
 * Server-side tasks: the cluster's recent PVE tasks (GET /cluster/tasks: every task, whoever
 * started it) and Jarvis's own in flight. The tracker is where task facts happen for Jarvis: it
 * publishes `task.started` / `task.progressed` / `task.finished` on the event bus, keeps the recent
 * list for the state snapshot, and asks for an immediate refresh of the cluster when a guest's
 * task ends (the guest's row must not wait for the next poll).
 *
 * When it reads: after every poll (the caller calls `sync()` on `cluster.changed`), and every
 * `fastIntervalMs` while a task it knows runs or a Jarvis action is in flight.
 */
import { toJarvisError } from '../../core/errors.ts';
import type { ClusterApi, TaskSummary } from '../../core/ports/cluster.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { EventBus, TaskFact } from '../../core/ports/events.ts';
import type { Logger } from '../../core/ports/logger.ts';

export interface TaskTrackerDeps {
  readonly cluster: Pick<ClusterApi, 'clusterTasks'>;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Re-reads the cluster now (a guest's task ended); the poller's tick. */
  readonly refresh: () => void;
}

export interface TaskTrackerOptions {
  /** Tasks kept for the snapshot (newest first). Default 50. */
  readonly keep?: number;
  /** Period of the fast follow while something runs (ms). Default 1000. */
  readonly fastIntervalMs?: number;
  /** Deadline of one /cluster/tasks read (ms). Default 5000. */
  readonly timeoutMs?: number;
}

export interface TaskTracker {
  /** Reads /cluster/tasks once and publishes what changed. Never throws. */
  sync(): Promise<void>;
  /** The recent tasks, newest first. */
  list(): readonly TaskFact[];
  /** Stops the fast follow and the bus subscriptions. */
  stop(): Promise<void>;
}

function vmidOf(task: TaskSummary): number | undefined {
  const vmid = Number(task.id);
  return task.id !== '' && Number.isInteger(vmid) && vmid >= 100 ? vmid : undefined;
}

function factOf(task: TaskSummary, byJarvis: boolean): TaskFact {
  return {
    id: task.upid,
    node: task.node,
    type: task.type,
    vmid: vmidOf(task),
    user: task.user,
    startedAt: task.starttime * 1000,
    endedAt: task.endtime !== undefined ? task.endtime * 1000 : undefined,
    status: task.status === undefined || (task.endtime === undefined && task.status.toUpperCase() === 'RUNNING') ? 'running' : task.status,
    byJarvis,
  };
}

/** Builds the tracker and subscribes it to the bus (action.started/finished mark Jarvis's tasks). */
export function createTaskTracker(deps: TaskTrackerDeps, options: TaskTrackerOptions = {}): TaskTracker {
  const keep = options.keep ?? 50;
  const known = new Map<string, TaskFact>();
  /** Jarvis actions in flight: the vmid they target (undefined when not a guest) by action hash. */
  const inFlight = new Map<string, number | undefined>();
  const jarvisTasks = new Set<string>();
  let seeded = false;
  let syncing: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  function isJarvis(task: TaskSummary): boolean {
    if (jarvisTasks.has(task.upid)) return true;
    const vmid = vmidOf(task);
    return vmid !== undefined && [...inFlight.values()].includes(vmid);
  }

  function trim(): void {
    if (known.size <= keep) return;
    const oldest = [...known.values()].sort((a, b) => b.startedAt - a.startedAt).slice(keep);
    for (const fact of oldest) if (fact.status !== 'running') known.delete(fact.id);
  }

  function apply(tasks: readonly TaskSummary[]): void {
    for (const task of tasks) {
      const previous = known.get(task.upid);
      const fact = factOf(task, previous?.byJarvis === true || isJarvis(task));
      if (fact.byJarvis) jarvisTasks.add(task.upid);
      known.set(task.upid, fact);
      if (!seeded) continue; // the first read fills the list; nothing "happened" then
      if (!previous) {
        deps.events.publish(fact.status === 'running' ? 'task.started' : 'task.finished', fact);
        if (fact.status !== 'running' && fact.vmid !== undefined) deps.refresh();
      } else if (previous.status === 'running' && fact.status !== 'running') {
        deps.events.publish('task.finished', fact);
        if (fact.vmid !== undefined) deps.refresh();
      } else if (fact.status === 'running' && (fact.progress !== previous.progress || fact.byJarvis !== previous.byJarvis)) {
        deps.events.publish('task.progressed', fact);
      }
    }
    seeded = true;
    trim();
  }

  async function read(): Promise<void> {
    try {
      const result = await deps.cluster.clusterTasks({ timeoutMs: options.timeoutMs ?? 5_000 });
      if (result.ok) apply(result.value);
      else deps.logger.debug({ code: result.error.code }, 'task list read failed');
    } catch (error) {
      deps.logger.warn({ error: toJarvisError(error).message }, 'task list read crashed');
    }
    scheduleFast();
  }

  function sync(): Promise<void> {
    syncing ??= read().finally(() => (syncing = undefined));
    return syncing;
  }

  function scheduleFast(): void {
    if (stopped || timer) return;
    const busy = inFlight.size > 0 || [...known.values()].some((fact) => fact.status === 'running');
    if (!busy) return;
    timer = setTimeout(() => {
      timer = undefined;
      void sync();
    }, options.fastIntervalMs ?? 1_000);
    timer.unref?.();
  }

  const unsubscribe = [
    deps.events.on('action.started', (started) => {
      inFlight.set(started.actionHash, started.target.type === 'guest' ? started.target.vmid : undefined);
      void sync();
    }),
    deps.events.on('action.finished', (finished) => {
      inFlight.delete(finished.actionHash);
      if (finished.taskId) jarvisTasks.add(finished.taskId);
      void sync();
    }),
  ];

  return {
    sync,
    list: () => [...known.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, keep),
    async stop() {
      stopped = true;
      for (const off of unsubscribe) off();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await syncing;
    },
  };
}
