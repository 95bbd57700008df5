import { useState } from 'react';
import type { EventDto, TaskDto } from '../../../src/protocol/index.ts';
import { Section } from '../components/section.tsx';
import { TaskRows } from '../components/task-rows.tsx';
import { formatClock } from '../lib/format.ts';

/**
 * `#/tasks`: PVE tasks from the server (live: task-start/-delta/-end frames; the state carries the
 * recent ones so the list survives a reload), filterable by status, type and node; and the
 * cluster log (the server's event feed), filterable by severity and text.
 */
export function TasksPage({
  tasks,
  events,
  loaded,
  dataTs,
}: {
  tasks: ReadonlyMap<string, TaskDto>;
  events: readonly EventDto[];
  loaded: boolean;
  dataTs: number | undefined;
}) {
  const [status, setStatus] = useState('');
  const [type, setType] = useState('');
  const [severity, setSeverity] = useState('');
  const [text, setText] = useState('');
  const all = [...tasks.values()].sort((a, b) => b.startedAt - a.startedAt);
  const types = [...new Set(all.map((task) => task.type))].sort();
  const shown = all.filter((task) => (!status || (status === 'failed' ? task.succeeded === false : task.status === status)) && (!type || task.type === type));
  const log = events.filter((event) => (!severity || event.severity === severity) && (!text || event.summary.toLowerCase().includes(text.toLowerCase())));
  return (
    <div className="detail-columns wide-first">
      <Section
        id="tasks"
        title="Tasks"
        loading={!loaded}
        dataTs={dataTs}
        actions={
          <div className="guest-toolbar">
            <select aria-label="Task status" value={status} onChange={(event) => setStatus(event.target.value)} data-testid="task-filter-status">
              <option value="">Status: all</option>
              <option value="running">running</option>
              <option value="stopped">finished</option>
              <option value="failed">failed</option>
            </select>
            <select aria-label="Task type" value={type} onChange={(event) => setType(event.target.value)} data-testid="task-filter-type">
              <option value="">Type: all</option>
              {types.map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </div>
        }
      >
        <TaskRows tasks={shown} empty="No task seen yet." />
      </Section>
      <Section
        id="cluster-log"
        title="Cluster log"
        loading={!loaded}
        dataTs={dataTs}
        actions={
          <div className="guest-toolbar">
            <select aria-label="Severity" value={severity} onChange={(event) => setSeverity(event.target.value)} data-testid="log-filter-severity">
              <option value="">Severity: all</option>
              <option value="info">info</option>
              <option value="warning">warning</option>
              <option value="critical">critical</option>
            </select>
            <input type="search" aria-label="Search the log" placeholder="Search…" value={text} onChange={(event) => setText(event.target.value)} />
          </div>
        }
      >
        {log.length === 0 ? (
          <p className="muted">No log entry.</p>
        ) : (
          <ul className="log" data-testid="cluster-log">
            {log.map((event) => (
              <li key={event.id} className={`log-${event.severity}`}>
                <span className="mono">{formatClock(event.at)}</span>{' '}
                <strong>
                  {event.severity === 'critical' ? '✖' : event.severity === 'warning' ? '⚠' : 'ℹ'} {event.type}
                </strong>{' '}
                {event.summary}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
