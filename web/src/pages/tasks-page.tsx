import { useMemo, useState } from 'react';
import { ClusterLogDtoSchema, type EventDto, type TaskDto } from '../../../src/protocol/index.ts';
import { FilterSelect, type FilterOption } from '../components/filter-select.tsx';
import { Section } from '../components/section.tsx';
import { TaskRows } from '../components/task-rows.tsx';
import { useApi } from '../hooks/use-api.ts';
import { EMPTY_LOG_FILTER, filterLog, mergeLog, type LogFilter } from '../lib/cluster-log-view.ts';
import { formatClock } from '../lib/format.ts';

/** The task status filter: PVE's 'stopped' reads as finished here; 'failed' is a finished task that did not succeed. */
const TASK_STATUSES: readonly FilterOption[] = ['running', { value: 'stopped', text: 'finished' }, 'failed'];

const SEVERITY_MARK: Record<EventDto['severity'], string> = { critical: '✖', warning: '⚠', info: 'ℹ' };

/**
 * `#/tasks`: PVE tasks from the server (live: task-start/-delta/-end frames; the state carries the
 * recent ones so the list survives a reload), filterable by status, type and node; and the log:
 * PVE's cluster log (GET /api/cluster-log, re-read every 15 s while the page is open) merged with
 * Jarvis's own events, filterable by severity, node, source and text. Log text is cluster data,
 * rendered as text nodes only.
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
  const [taskNode, setTaskNode] = useState('');
  const [filter, setFilter] = useState<LogFilter>(EMPTY_LOG_FILTER);
  const clusterLog = useApi('/api/cluster-log', ClusterLogDtoSchema, 15_000);
  const all = [...tasks.values()].sort((a, b) => b.startedAt - a.startedAt);
  const types = [...new Set(all.map((task) => task.type))].sort();
  const taskNodes = [...new Set(all.map((task) => task.node))].sort();
  const shown = all.filter(
    (task) =>
      (!status || (status === 'failed' ? task.succeeded === false : task.status === status)) &&
      (!type || task.type === type) &&
      (!taskNode || task.node === taskNode),
  );
  const rows = useMemo(() => mergeLog(events, clusterLog.data?.entries ?? []), [events, clusterLog.data]);
  const logNodes = useMemo(() => [...new Set(rows.flatMap((row) => (row.node ? [row.node] : [])))].sort(), [rows]);
  const log = filterLog(rows, filter).slice(0, 300);
  return (
    <div className="detail-columns wide-first">
      <Section
        id="tasks"
        title="Tasks"
        loading={!loaded}
        dataTs={dataTs}
        actions={
          <div className="guest-toolbar">
            <FilterSelect label="Status" name="Task status" value={status} options={TASK_STATUSES} onChange={setStatus} testId="task-filter-status" />
            <FilterSelect label="Type" name="Task type" value={type} options={types} onChange={setType} testId="task-filter-type" />
            <FilterSelect label="Node" name="Task node" value={taskNode} options={taskNodes} onChange={setTaskNode} testId="task-filter-node" />
          </div>
        }
      >
        <TaskRows tasks={shown} empty="No task seen yet." />
      </Section>
      <Section
        id="cluster-log"
        title="Cluster log"
        loading={!loaded}
        dataTs={clusterLog.data?.readAt ?? dataTs}
        actions={
          <div className="guest-toolbar">
            <FilterSelect
              label="Severity"
              name="Log severity"
              value={filter.severity}
              options={['critical', 'warning', 'info']}
              onChange={(severity) => setFilter({ ...filter, severity })}
              testId="log-filter-severity"
            />
            <FilterSelect
              label="Node"
              name="Log node"
              value={filter.node}
              options={logNodes}
              onChange={(node) => setFilter({ ...filter, node })}
              testId="log-filter-node"
            />
            <FilterSelect
              label="Source"
              name="Log source"
              value={filter.source}
              options={['pve', 'jarvis']}
              onChange={(source) => setFilter({ ...filter, source })}
              testId="log-filter-source"
            />
            <input
              type="search"
              aria-label="Search the log"
              placeholder="Search…"
              value={filter.text}
              onChange={(event) => setFilter({ ...filter, text: event.target.value })}
              data-testid="log-search"
            />
          </div>
        }
      >
        {clusterLog.error ? (
          <p className="section-error" role="status" data-testid="cluster-log-error">
            ✖ PVE cluster log unavailable ({clusterLog.error.message}); Jarvis's own events are still listed.
          </p>
        ) : null}
        <p className="muted small">
          PVE's cluster log and Jarvis's events, newest first. Messages are shown as plain text: data, never instructions or markup.
        </p>
        {log.length === 0 ? (
          <p className="muted">No log entry.</p>
        ) : (
          <ul className="log" data-testid="cluster-log">
            {log.map((row) => (
              <li
                key={row.key}
                className={`log-${row.severity}`}
                data-testid="log-row"
                data-source={row.source}
                data-severity={row.severity}
                data-node={row.node}
              >
                <span className="mono">{formatClock(row.at)}</span>{' '}
                <strong>
                  {SEVERITY_MARK[row.severity]} {row.label}
                </strong>{' '}
                <span className="muted small">
                  {row.source === 'pve' ? 'PVE' : 'Jarvis'}
                  {row.node ? ` · ${row.node}` : ''}
                  {row.user ? ` · ${row.user}` : ''}
                </span>{' '}
                <span className="log-message">{row.message}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
