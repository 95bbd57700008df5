import { describe, expect, it } from 'vitest';
import { ok } from '../../core/errors.ts';
import type { TaskSummary } from '../../core/ports/cluster.ts';
import type { ServerMessage } from '../../protocol/index.ts';
import { watchTasks } from './task-watch.ts';

const base = { node: 'pve', type: 'qmstop', id: '101', user: 'jarvis@pve!api' };

describe('watchTasks', () => {
  it('publishes task-start for a new running task and task-end when it stops; ignores older tasks', async () => {
    const answers: TaskSummary[][] = [
      [{ ...base, upid: 'old', starttime: 10, endtime: 11, status: 'OK' }],
      [{ ...base, upid: 'u1', starttime: 100 }, { ...base, upid: 'old', starttime: 10, endtime: 11, status: 'OK' }],
      [{ ...base, upid: 'u1', starttime: 100, endtime: 104, status: 'OK' }],
    ];
    let call = 0;
    const cluster = { clusterTasks: async () => ok(answers[Math.min(call++, answers.length - 1)]!) };
    const published: ServerMessage[] = [];
    const watch = watchTasks(cluster, (message) => published.push(message), { sinceSeconds: 50, intervalMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 40));
    await watch.stop();
    expect(published).toEqual([
      { type: 'task-start', payload: { upid: 'u1', node: 'pve', type: 'qmstop', vmid: 101, status: 'running', startedAt: 100_000 } },
      { type: 'task-end', payload: { upid: 'u1', node: 'pve', type: 'qmstop', vmid: 101, status: 'stopped', exitstatus: 'OK', succeeded: true, startedAt: 100_000, endedAt: 104_000 } },
    ]);
    const calls = call;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(call).toBe(calls); // no polling after stop
  });
});
