import type { TaskDto } from '../../../src/protocol/index.ts';
import { formatAge } from '../lib/freshness.ts';
import { useAge } from './freshness-context.ts';
import { TaskProgress } from './task-rows.tsx';
import { Section } from './section.tsx';
import { taskGuestKind as guestKind } from '../lib/task-guest-kind.ts';

function TaskRow({ task }: { task: TaskDto }) {
  const age = useAge(task.startedAt) ?? 0;
  const running = task.status === 'running';
  const result = running ? '' : task.succeeded === false ? `✖ failed: ${task.exitstatus ?? 'unknown'}` : `✔ ${task.exitstatus ?? 'done'}`;
  return (
    <li
      className={`task task-${running ? 'running' : task.succeeded === false ? 'failed' : 'ok'}`}
      data-testid="task"
      data-status={task.status}
      data-upid={task.upid}
      data-vmid={task.vmid}
    >
      <strong>{task.type}</strong>
      {task.vmid !== undefined ? ` ${guestKind(task.type)} ${task.vmid}` : ''} on {task.node}
      {result ? ` — ${result}` : ' — '}
      {task.user ? <span className="muted"> by {task.byJarvis ? 'Jarvis' : task.user}</span> : null}
      <span className="muted">
        {' '}
        (started {formatAge(age)} ago{task.endedAt ? `, took ${formatAge(task.endedAt - task.startedAt)}` : ''})
      </span>
      {running ? <TaskProgress task={task} withLog={false} /> : null}
      {task.logTail && task.logTail.length > 0 ? <pre className="log-tail">{task.logTail.slice(-5).join('\n')}</pre> : null}
    </li>
  );
}

/** The cluster's recent PVE tasks (from the server: whoever started them) and Jarvis's own: running ones with a progress bar, then finished. */
export function TaskList({ tasks, loaded, dataTs }: { tasks: ReadonlyMap<string, TaskDto>; loaded: boolean; dataTs: number | undefined }) {
  const list = [...tasks.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, 10);
  return (
    <Section id="tasks" title="Tasks" loading={!loaded} dataTs={dataTs}>
      {list.length === 0 ? (
        <p className="muted">No recent task.</p>
      ) : (
        <ul className="tasks">
          {list.map((task) => (
            <TaskRow key={task.upid} task={task} />
          ))}
        </ul>
      )}
    </Section>
  );
}
