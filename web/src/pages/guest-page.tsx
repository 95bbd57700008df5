import type { SnapshotDto, TaskDto } from '../../../src/protocol/index.ts';
import { ActionButtons } from '../components/action-buttons.tsx';
import { statusText } from '../components/guest-table.tsx';
import { HistoryChart } from '../components/history-chart.tsx';
import { Section } from '../components/section.tsx';
import { TaskRows } from '../components/task-rows.tsx';
import { UsageBar } from '../components/usage-bar.tsx';
import type { DashboardStore } from '../lib/dashboard-store.ts';
import { formatBytes, formatUptime, UNKNOWN } from '../lib/format.ts';
import { ratio } from '../lib/guest-view.ts';
import { href } from '../lib/router.ts';
import type { VisualMode } from '../lib/visual-mode.ts';

/**
 * `#/guest/<vmid>`: configuration summary, current figures, history over hour..year (rrddata),
 * recent tasks and backups of this guest (PVE tasks), and the actions its state allows. Snapshots
 * and notes need a server route this build does not have: the page says so instead of guessing.
 */
export function GuestPage({ vmid, snapshot, tasks, store, canAct, mode, loaded }: { vmid: number; snapshot: SnapshotDto | null; tasks: ReadonlyMap<string, TaskDto>; store: DashboardStore; canAct: boolean; mode: VisualMode; loaded: boolean }) {
  const guest = snapshot?.guests.find((entry) => entry.vmid === vmid);
  const nodeOnline = snapshot?.nodes.some((node) => node.name === guest?.node && node.status === 'online') ?? false;
  const mine = [...tasks.values()].filter((task) => task.vmid === vmid).sort((a, b) => b.startedAt - a.startedAt);
  const backups = mine.filter((task) => task.type === 'vzdump');
  const title = guest ? `${guest.type === 'qemu' ? 'VM' : 'CT'} ${guest.vmid} ${guest.name ?? ''}` : `Guest ${vmid}`;
  return (
    <div className="detail-page" data-testid="guest-page">
      <p className="breadcrumb"><a href={href('overview')}>← Overview</a>{guest ? <> · node <a href={href('node', guest.node)}>{guest.node}</a></> : null}</p>
      <Section id="guest-detail" title={title} loading={!loaded} error={loaded && snapshot && !guest ? `no guest ${vmid} in the cluster` : undefined} dataTs={snapshot?.takenAt}>
        {guest ? (
          <div className="detail-grid">
            <dl className="figures config" data-testid="guest-config">
              <dt>Status</dt><dd>{nodeOnline ? statusText(guest.status) : '? unknown (node offline)'}{guest.lock ? ` ⚠ lock: ${guest.lock}` : ''}</dd>
              <dt>Type</dt><dd>{guest.type === 'qemu' ? 'QEMU VM' : 'LXC container'}{guest.template ? ' (template)' : ''}</dd>
              <dt>Node</dt><dd>{guest.node}</dd>
              <dt>CPUs</dt><dd className="mono">{guest.maxcpu ?? UNKNOWN}</dd>
              <dt>Memory</dt><dd className="mono">{formatBytes(guest.maxmem)}</dd>
              <dt>Disk</dt><dd className="mono">{formatBytes(guest.maxdisk)}</dd>
              <dt>Tags</dt><dd>{guest.tags.length ? guest.tags.map((tag) => <span key={tag} className="tag">{tag}</span>) : UNKNOWN}</dd>
              <dt>HA</dt><dd>{guest.hastate ?? UNKNOWN}</dd>
              <dt>Uptime</dt><dd className="mono">{nodeOnline && guest.status === 'running' ? formatUptime(guest.uptime) : UNKNOWN}</dd>
            </dl>
            <dl className="figures current" data-testid="guest-figures">
              <dt>CPU</dt><dd><UsageBar fraction={nodeOnline ? guest.cpu : undefined} label="CPU" /></dd>
              <dt>Memory</dt><dd><UsageBar fraction={nodeOnline ? ratio(guest.mem, guest.maxmem) : undefined} used={guest.mem} total={guest.maxmem} label="memory" /> <span className="mono small">{nodeOnline && guest.mem !== undefined ? formatBytes(guest.mem) : UNKNOWN}</span></dd>
              <dt>Disk</dt><dd><UsageBar fraction={nodeOnline ? ratio(guest.disk, guest.maxdisk) : undefined} used={guest.disk} total={guest.maxdisk} label="disk" /></dd>
              <dt>Net in/out</dt><dd className="mono">{formatBytes(guest.netin)} / {formatBytes(guest.netout)}</dd>
            </dl>
            <div className="detail-actions">
              <h3>Actions</h3>
              {canAct ? <ActionButtons guest={guest} store={store} canAct={canAct} nodeOnline={nodeOnline} /> : <p className="muted small">Viewers cannot act on guests.</p>}
            </div>
          </div>
        ) : null}
      </Section>
      {guest ? (
        <>
          <Section id="guest-history" title="History" loading={false}>
            <HistoryChart baseUrl={`/api/history?kind=guest&node=${encodeURIComponent(guest.node)}&vmid=${guest.vmid}&type=${guest.type}`} label={`guest ${guest.vmid}`} mode={mode} width={1100} />
          </Section>
          <div className="detail-columns">
            <Section id="guest-tasks" title="Recent tasks" loading={false}>
              <TaskRows tasks={mine.slice(0, 10)} empty="No task of this guest seen yet." />
            </Section>
            <Section id="guest-backups" title="Backups" loading={false}>
              {backups.length === 0 ? <p className="backup-missing" data-attention="true">⚠ No backup task of this guest seen.</p> : <TaskRows tasks={backups.slice(0, 10)} empty="" />}
            </Section>
            <Section id="guest-notes" title="Snapshots and notes" loading={false}>
              <p className="muted small">Not provided by this server yet (needs a PVE config/snapshot route). Notes will be shown as data, never as instructions.</p>
            </Section>
          </div>
        </>
      ) : null}
    </div>
  );
}
