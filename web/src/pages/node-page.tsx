import type { SnapshotDto, TaskDto } from '../../../src/protocol/index.ts';
import { statusText } from '../components/guest-table.tsx';
import { HistoryChart } from '../components/history-chart.tsx';
import { NodeCard } from '../components/node-card.tsx';
import { Section } from '../components/section.tsx';
import { TaskRows } from '../components/task-rows.tsx';
import { UsageBar } from '../components/usage-bar.tsx';
import type { LastKnownNode } from '../lib/dashboard-store.ts';
import { formatUsage } from '../lib/format.ts';
import { ratio } from '../lib/guest-view.ts';
import { href } from '../lib/router.ts';
import type { VisualMode } from '../lib/visual-mode.ts';

/** `#/node/<name>`: figures, history over hour..year, its guests, storage and recent tasks. */
export function NodePage({
  name,
  snapshot,
  lastKnown,
  tasks,
  mode,
  loaded,
}: {
  name: string;
  snapshot: SnapshotDto | null;
  lastKnown: LastKnownNode | undefined;
  tasks: ReadonlyMap<string, TaskDto>;
  mode: VisualMode;
  loaded: boolean;
}) {
  const node = snapshot?.nodes.find((entry) => entry.name === name);
  const guests = snapshot?.guests.filter((guest) => guest.node === name) ?? [];
  const storage = snapshot?.storage.filter((entry) => entry.node === name) ?? [];
  const recent = [...tasks.values()]
    .filter((task) => task.node === name)
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, 15);
  const online = node?.status === 'online';
  return (
    <div className="detail-page" data-testid="node-page">
      <p className="breadcrumb">
        <a href={href('overview')}>← Overview</a>
      </p>
      <Section
        id="node-detail"
        title={`Node ${name}`}
        loading={!loaded}
        error={loaded && snapshot && !node ? `no node ${name} in the cluster` : undefined}
        dataTs={snapshot?.takenAt}
      >
        {node ? (
          <div className="detail-grid">
            <NodeCard node={node} lastKnown={lastKnown} />
            <div>
              <h3>
                Guests on {name} ({guests.length})
              </h3>
              <ul className="plain-list">
                {guests.map((guest) => (
                  <li key={guest.vmid}>
                    <a href={href('guest', guest.vmid)}>
                      {guest.vmid} {guest.name ?? ''}
                    </a>{' '}
                    <span className="muted">{online ? statusText(guest.status) : '? unknown'}</span>
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3>Storage</h3>
              <ul className="plain-list">
                {storage.map((entry) => (
                  <li key={entry.id}>
                    {entry.storage}
                    {entry.shared ? ' (shared)' : ''}{' '}
                    <UsageBar fraction={online ? ratio(entry.used, entry.total) : undefined} label={`${entry.storage} used`} />{' '}
                    <span className="mono small">{online ? formatUsage(entry.used, entry.total) : '—'}</span>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        ) : null}
      </Section>
      {node ? (
        <>
          <Section id="node-history" title="History" loading={false}>
            <HistoryChart key={name} baseUrl={`/api/history?kind=node&node=${encodeURIComponent(name)}`} label={`node ${name}`} mode={mode} width={1100} />
          </Section>
          <Section id="node-tasks" title="Recent tasks" loading={false}>
            <TaskRows tasks={recent} empty="No task on this node seen yet." />
          </Section>
        </>
      ) : null}
    </div>
  );
}
