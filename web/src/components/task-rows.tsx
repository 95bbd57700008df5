import type { TaskDto } from '../../../src/protocol/index.ts';
import { formatAge } from '../lib/freshness.ts';
import { href } from '../lib/router.ts';
import { useAge } from './freshness-context.ts';

export function taskResult(task: TaskDto): string {
  if (task.status === 'running') return '◷ running';
  if (task.succeeded === false) return `✖ failed: ${task.exitstatus ?? 'unknown'}`;
  return `✔ ${task.exitstatus ?? 'done'}`;
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
      <td>
        {taskResult(task)}
        {running ? <progress aria-label={`${task.type} in progress`} /> : null}
      </td>
      <td className="mono">{formatAge(age)} ago</td>
      <td className="mono">{task.endedAt ? formatAge(task.endedAt - task.startedAt) : '—'}</td>
    </tr>
  );
}

/** PVE tasks as a dense table (type, guest, node, result with progress, started, duration). */
export function TaskRows({ tasks, empty }: { tasks: readonly TaskDto[]; empty: string }) {
  if (tasks.length === 0) return empty ? <p className="muted">{empty}</p> : null;
  return (
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
  );
}
