import { TaskLogTailDtoSchema, type TaskDto } from '../../../src/protocol/index.ts';
import { useApi } from '../hooks/use-api.ts';
import { formatElapsed } from '../lib/format.ts';
import { formatAge } from '../lib/freshness.ts';
import { href } from '../lib/router.ts';
import { useAge } from './freshness-context.ts';
import { ScrollRegion } from './scroll-region.tsx';

export function taskResult(task: TaskDto): string {
  if (task.status === 'running') return '◷ running';
  if (task.succeeded === false) return `✖ failed: ${task.exitstatus ?? 'unknown'}`;
  return `✔ ${task.exitstatus ?? 'done'}`;
}

/**
 * What PVE tells about a running task: how long it has run (server clock), its progress when PVE
 * reports one (a determinate bar, never a fake spinner), and the last line of its log
 * (GET /api/tasks/log-tail, every 5 s while it runs; nothing when the server cannot say).
 */
export function TaskProgress({ task, withLog }: { task: TaskDto; withLog: boolean }) {
  const elapsed = useAge(task.startedAt) ?? 0;
  return (
    <span className="task-progress" data-testid="task-progress">
      <span data-testid="task-elapsed">◷ running for {formatElapsed(elapsed)}</span>
      {task.progress !== undefined ? (
        <>
          {' '}
          <progress aria-label={`${task.type} progress`} value={task.progress} max={1} /> {Math.round(task.progress * 100)}%
        </>
      ) : null}
      {withLog ? <TaskLogLine upid={task.upid} /> : null}
    </span>
  );
}

function TaskLogLine({ upid }: { upid: string }) {
  const tail = useApi(`/api/tasks/log-tail?upid=${encodeURIComponent(upid)}`, TaskLogTailDtoSchema, 5_000);
  const line = tail.data?.lines.at(-1);
  if (!line) return null;
  return (
    <span className="task-log-line mono small" data-testid="task-log-line" title={`line ${tail.data?.total ?? '?'} of the PVE task log`}>
      {line}
    </span>
  );
}

function Row({ task }: { task: TaskDto }) {
  const age = useAge(task.startedAt) ?? 0;
  const running = task.status === 'running';
  return (
    <tr data-testid="task-row" data-status={task.status} className={`task-${running ? 'running' : task.succeeded === false ? 'failed' : 'ok'}`}>
      <td className="mono">{task.type}</td>
      <td>{task.vmid !== undefined ? <a href={href('guest', task.vmid)}>{task.vmid}</a> : '—'}</td>
      <td>
        <a href={href('node', task.node)}>{task.node}</a>
      </td>
      <td>{running ? <TaskProgress task={task} withLog /> : taskResult(task)}</td>
      <td className="mono">{formatAge(age)} ago</td>
      <td className="mono">{task.endedAt ? formatAge(task.endedAt - task.startedAt) : '—'}</td>
    </tr>
  );
}

/** PVE tasks as a dense table (type, guest, node, result with progress, started, duration). */
export function TaskRows({ tasks, empty, label = 'Tasks table' }: { tasks: readonly TaskDto[]; empty: string; label?: string }) {
  if (tasks.length === 0) return empty ? <p className="muted">{empty}</p> : null;
  return (
    <ScrollRegion label={label}>
      <table className="table dense tasks-table">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Guest</th>
            <th scope="col">Node</th>
            <th scope="col">Result</th>
            <th scope="col">Started</th>
            <th scope="col">Took</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <Row key={task.upid} task={task} />
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
