import { describe, expect, it } from 'vitest';
import { ok } from '../../core/errors.ts';
import type { TaskSummary } from '../../core/ports/cluster.ts';
import type { DomainEvent } from '../../core/ports/events.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { createEventBus } from '../events/event-bus.ts';
import { createTaskTracker } from './task-tracker.ts';

const base = { node: 'pve', user: 'root@pam', starttime: 1_700_000_000 };

describe('task tracker', () => {
  it('fills the list silently on the first read, then publishes starts and ends, and refreshes when a guest task ends', async () => {
    let tasks: TaskSummary[] = [{ ...base, upid: 'UPID:old', type: 'vzdump', id: '', endtime: 1_700_000_010, status: 'OK' }];
    const bus = createEventBus(silentLogger);
    const seen: DomainEvent[] = [];
    bus.onAny((event) => seen.push(event));
    let refreshes = 0;
    const tracker = createTaskTracker({
      cluster: { clusterTasks: async () => ok(tasks) },
      events: bus,
      clock: { now: () => 0 },
      logger: silentLogger,
      refresh: () => (refreshes += 1),
    });
    await tracker.sync();
    expect(seen).toEqual([]);
    expect(tracker.list().map((task) => task.id)).toEqual(['UPID:old']);

    tasks = [...tasks, { ...base, upid: 'UPID:new', type: 'qmstart', id: '207', starttime: 1_700_000_100 }];
    await tracker.sync();
    expect(seen.map((event) => event.name)).toEqual(['task.started']);
    expect(seen[0]?.payload).toMatchObject({ id: 'UPID:new', status: 'running', vmid: 207, byJarvis: false, user: 'root@pam' });

    tasks = tasks.map((task) => (task.upid === 'UPID:new' ? { ...task, endtime: 1_700_000_105, status: 'VM is locked (backup)' } : task));
    await tracker.sync();
    expect(seen.map((event) => event.name)).toEqual(['task.started', 'task.finished']);
    expect(seen[1]?.payload).toMatchObject({ id: 'UPID:new', status: 'VM is locked (backup)', endedAt: 1_700_000_105_000 });
    expect(refreshes).toBe(1);
    expect(tracker.list().map((task) => task.id)).toEqual(['UPID:new', 'UPID:old']);
    await tracker.stop();
  });

  it("marks a task as Jarvis's while Jarvis acts on its guest", async () => {
    const bus = createEventBus(silentLogger);
    let tasks: TaskSummary[] = [];
    const tracker = createTaskTracker({
      cluster: { clusterTasks: async () => ok(tasks) },
      events: bus,
      clock: { now: () => 0 },
      logger: silentLogger,
      refresh: () => undefined,
    });
    await tracker.sync();
    bus.publish('action.started', { actionHash: 'h', kind: 'guest.stop', actor: 'token:claude', target: { type: 'guest', vmid: 101 }, at: 0 });
    tasks = [{ ...base, upid: 'UPID:j', type: 'qmstop', id: '101', user: 'jarvis@pve!monitor' }];
    await tracker.sync(); // the read action.started began (joined)
    await tracker.sync();
    expect(tracker.list()[0]).toMatchObject({ id: 'UPID:j', byJarvis: true });
    await tracker.stop();
  });
});
