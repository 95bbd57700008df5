/**
 * What the monitor sees at each evaluation (an `Observation` for core/anomaly): the poll's
 * snapshot, PVE's task list and the tasks the bus reported, and on their slow cadences the other
 * backup source and the reads of observation-reads.ts (failed units, containers, IO wait); plus
 * the health of the dependencies those reads go through. A failed read leaves its part out
 * (logged), never the whole observation.
 */
import {
  inAnyWindow,
  type ContainerView,
  type IoWaitSample,
  type LastBackupView,
  type MonitorHistory,
  type Observation,
  type TaskView,
} from '../../core/anomaly/index.ts';
import { toJarvisError } from '../../core/errors.ts';
import type { EventBus } from '../../core/ports/events.ts';
import type { MonitorDeps, MonitorSettings } from './monitor-types.ts';
import { readContainers, readFailedUnits, readIoWait } from './observation-reads.ts';
import type { PollResult } from './poller.ts';

export interface MonitorObserver {
  /** Gathers one observation (the slow reads only when due; `history` tells when a stop needs the task list now). */
  gather(poll: PollResult | undefined, now: number, history: MonitorHistory): Promise<Observation>;
  /** Subscribes to the task and dependency facts on the bus; returns the unsubscribe functions. */
  listen(bus: Pick<EventBus, 'on'>): (() => void)[];
}

export function createMonitorObserver(
  deps: Pick<MonitorDeps, 'poller' | 'cluster' | 'shell' | 'docker' | 'backups' | 'gateway' | 'logger'>,
  settings: Pick<MonitorSettings, 'tasksEveryMs' | 'unitsEveryMs' | 'containersEveryMs' | 'ioWaitEveryMs' | 'sshNodes' | 'dockerHosts' | 'maintenanceWindows'>,
): MonitorObserver {
  const { logger } = deps;
  const dependencies = new Map<string, { up: boolean; since: number; reason?: string }>();
  const busTasks = new Map<string, TaskView>();
  let pveTasks: TaskView[] = [];
  let tasksReadAt: number | undefined;
  const due = { units: 0, containers: 0, tasks: 0, ioWait: 0 };
  let canary: Observation['canary'];

  function setDependency(name: string, up: boolean, at: number, reason?: string): void {
    const before = dependencies.get(name);
    if (before && before.up === up) return;
    dependencies.set(name, { up, since: at, ...(reason ? { reason } : {}) });
  }

  function readTasks(now: number): Promise<void> {
    return deps.cluster.clusterTasks().then((result) => {
      if (!result.ok) return;
      tasksReadAt = now;
      pveTasks = result.value.slice(0, 500).map((task) => {
        const vmid = /^\d+$/.test(task.id) ? Number(task.id) : undefined;
        return {
          id: task.upid,
          node: task.node,
          type: task.type,
          vmid,
          startedAt: task.starttime * 1000,
          endedAt: task.endtime !== undefined ? task.endtime * 1000 : undefined,
          status: task.status ?? 'running',
          byJarvis: false,
        };
      });
    });
  }

  async function gather(poll: PollResult | undefined, now: number, history: MonitorHistory): Promise<Observation> {
    const state = deps.poller.current();
    const fresh = poll ? poll.ok : !state.stale;
    if (poll) setDependency('pve', poll.ok, now, poll.ok ? undefined : poll.error.message);
    const snapshot = poll?.ok ? poll.snapshot : state.snapshot;
    const reads: Promise<void>[] = [];
    let lastBackups: LastBackupView[] | undefined;

    // A guest seen stopping is judged only with a task list read after the stop (see
    // MonitorHistory.crashed): read it now rather than wait up to tasksEveryMs.
    const stopSuspected =
      [...history.crashed.values()].some((crash) => !crash.confirmed) ||
      (fresh && snapshot?.guests.some((guest) => guest.status !== 'running' && history.guestStatus.get(guest.vmid)?.status === 'running')) === true;
    const tasksDue = now >= due.tasks;
    if (tasksDue || stopSuspected) {
      due.tasks = now + settings.tasksEveryMs;
      reads.push(readTasks(now));
    }
    if (tasksDue && deps.backups) {
      reads.push(
        deps.backups().then((result) => {
          if (result.ok) lastBackups = result.value.slice(0, 10_000);
          else logger.warn({ code: result.error.code }, `monitor: last backups not read: ${result.error.message}`);
        }),
      );
    }
    let failedUnits: Record<string, readonly string[]> | undefined;
    if (deps.shell && now >= due.units) {
      due.units = now + settings.unitsEveryMs;
      const online = new Set(snapshot?.nodes.filter((node) => node.status === 'online').map((node) => node.name) ?? settings.sshNodes);
      const units = readFailedUnits(
        deps.shell,
        settings.sshNodes.filter((node) => online.has(node)),
        now,
        setDependency,
      );
      failedUnits = units?.collected;
      if (units) reads.push(units.read);
    }
    let containers: ContainerView[] | undefined;
    let containersUnread: Observation['containersUnread'];
    if (deps.docker && now >= due.containers && settings.dockerHosts.length > 0) {
      due.containers = now + settings.containersEveryMs;
      const pending = readContainers(deps.docker, settings.dockerHosts, now, setDependency);
      containers = pending.collected;
      containersUnread = pending.unread;
      reads.push(pending.read);
    }
    let ioWait: IoWaitSample[] | undefined;
    if (now >= due.ioWait && snapshot) {
      due.ioWait = now + settings.ioWaitEveryMs;
      const pending = readIoWait(
        deps.cluster,
        snapshot.nodes.filter((node) => node.status === 'online').map((node) => node.name),
      );
      ioWait = pending.collected;
      reads.push(pending.read);
    }
    await Promise.all(reads.map((read) => read.catch((error: unknown) => logger.warn({ error: toJarvisError(error).message }, 'monitor read failed'))));

    const status = deps.gateway?.status();
    if (status?.canary) canary = status.canary;
    if (status?.local) setDependency('model:local', status.local.up, now, status.local.reason);
    for (const [id, task] of busTasks) if (task.endedAt !== undefined && now - task.endedAt > 3_600_000) busTasks.delete(id);
    return {
      at: now,
      snapshot,
      fresh,
      tasks: [...pveTasks, ...busTasks.values()],
      tasksReadAt,
      dependencies: Object.fromEntries(dependencies),
      failedUnits,
      containers,
      containersUnread,
      ioWait,
      lastBackups,
      canary,
      maintenance: inAnyWindow(settings.maintenanceWindows, now),
    };
  }

  return {
    gather,
    listen(bus) {
      const onTask = (fact: TaskView) => {
        busTasks.set(fact.id, {
          id: fact.id,
          node: fact.node,
          type: fact.type,
          vmid: fact.vmid,
          startedAt: fact.startedAt,
          endedAt: fact.endedAt,
          status: fact.status,
          byJarvis: fact.byJarvis,
        });
      };
      return [
        bus.on('task.started', onTask),
        bus.on('task.progressed', onTask),
        bus.on('task.finished', onTask),
        bus.on('dependency.changed', (change) => setDependency(change.dependency, change.up, change.at, change.reason)),
      ];
    },
  };
}
