import { describe, expect, it } from 'vitest';
import { err, jarvisError, ok } from '../../core/errors.ts';
import type { TaskStatus } from '../../core/ports/cluster.ts';
import { waitForTask, type TaskStatusFn } from './wait-for-task.ts';

const task = { upid: 'UPID:pve:00000001:00000001:674425F0:qmstart:101:root@pam:', node: 'pve' };
const status = (state: 'running' | 'stopped', exitstatus?: string): TaskStatus => ({
  upid: task.upid,
  node: 'pve',
  type: 'qmstart',
  id: '101',
  user: 'root@pam',
  starttime: 1,
  status: state,
  exitstatus,
  succeeded: state === 'stopped' ? exitstatus === 'OK' : undefined,
});

/** A scripted status source; the virtual clock advances 1 s per poll so no test waits long. */
function scripted(answers: ReturnType<TaskStatusFn> extends Promise<infer R> ? R[] : never) {
  let clock = 0;
  let calls = 0;
  const fn: TaskStatusFn = async () => {
    clock += 1000;
    const answer = answers[Math.min(calls, answers.length - 1)]!;
    calls += 1;
    return answer;
  };
  return { fn, now: () => clock, calls: () => calls };
}

describe('waitForTask', () => {
  it('polls until the task is stopped and returns its status', async () => {
    const source = scripted([ok(status('running')), ok(status('running')), ok(status('stopped', 'OK'))]);
    const result = await waitForTask(source.fn, task, { pollMs: 1 }, source.now);
    expect(result).toMatchObject({ ok: true, value: { status: 'stopped', succeeded: true } });
    expect(source.calls()).toBe(3);
  });

  it('returns a failed task as ok with succeeded=false and the exit text', async () => {
    const source = scripted([ok(status('stopped', 'VM 101 already running'))]);
    expect(await waitForTask(source.fn, task, { pollMs: 1 }, source.now)).toMatchObject({
      ok: true,
      value: { succeeded: false, exitstatus: 'VM 101 already running' },
    });
  });

  it('gives TASK_TIMEOUT at the deadline', async () => {
    const source = scripted([ok(status('running'))]);
    const result = await waitForTask(source.fn, task, { pollMs: 1, deadlineMs: 5_000 }, source.now);
    expect(result.ok ? 'ok' : result.error.code).toBe('TASK_TIMEOUT');
    expect(source.calls()).toBe(5);
  });

  it('retries retryable errors but returns a permanent one at once', async () => {
    const flaky = scripted([err(jarvisError('PVE_TIMEOUT', 'slow')), ok(status('stopped', 'OK'))]);
    expect((await waitForTask(flaky.fn, task, { pollMs: 1 }, flaky.now)).ok).toBe(true);
    const denied = scripted([err(jarvisError('PVE_PERMISSION', 'no'))]);
    const result = await waitForTask(denied.fn, task, { pollMs: 1 }, denied.now);
    expect(result.ok ? 'ok' : result.error.code).toBe('PVE_PERMISSION');
    expect(denied.calls()).toBe(1);
  });
});
