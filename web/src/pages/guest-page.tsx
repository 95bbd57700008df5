import { GuestDetailDtoSchema, type BackupVolumeDto, type GuestDetailDto, type SnapshotDto, type TaskDto } from '../../../src/protocol/index.ts';
import { ActionButtons } from '../components/action-buttons.tsx';
import { statusText } from '../components/guest-table.tsx';
import { HistoryChart } from '../components/history-chart.tsx';
import { Section } from '../components/section.tsx';
import { TaskRows } from '../components/task-rows.tsx';
import { UsageBar } from '../components/usage-bar.tsx';
import { useFreshness } from '../components/freshness-context.ts';
import { useApi } from '../hooks/use-api.ts';
import { formatAge } from '../lib/freshness.ts';
import type { DashboardStore } from '../lib/dashboard-store.ts';
import { formatBytes, formatUptime, UNKNOWN } from '../lib/format.ts';
import { backupNeedsAttention, guestCpu, lastBackups, ratio } from '../lib/guest-view.ts';
import { href } from '../lib/router.ts';
import type { VisualMode } from '../lib/visual-mode.ts';
import { ScrollRegion } from '../components/scroll-region.tsx';

/** Local date and time of an epoch-ms instant, e.g. "2026-12-02 14:05". */
const formatWhen = (epochMs: number) =>
  new Date(epochMs).toLocaleString('sv-SE', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/**
 * The guest's snapshots (oldest first, PVE's `current` entry last as "you are here"). Names and
 * descriptions are cluster text, rendered as React text nodes (never HTML).
 */
function SnapshotList({ snapshots }: { snapshots: GuestDetailDto['snapshots'] }) {
  const real = snapshots.filter((entry) => !entry.current);
  const current = snapshots.find((entry) => entry.current);
  if (real.length === 0)
    return (
      <p className="muted small" data-testid="no-snapshots">
        No snapshots.
      </p>
    );
  return (
    <table className="table dense" data-testid="guest-snapshots">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Taken</th>
          <th scope="col">Parent</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {real.map((entry) => (
          <tr key={entry.name} data-testid={`snapshot-${entry.name}`}>
            <td className="mono">
              {entry.name}
              {entry.vmstate ? <span className="muted small"> (with RAM)</span> : null}
            </td>
            <td className="mono">{entry.takenAt !== undefined ? formatWhen(entry.takenAt) : '—'}</td>
            <td className="mono">{entry.parent ?? '—'}</td>
            <td className="snapshot-description">{entry.description || '—'}</td>
          </tr>
        ))}
        {current ? (
          <tr data-testid="snapshot-current" className="snapshot-current">
            <td className="mono">● current</td>
            <td className="muted">now</td>
            <td className="mono">{current.parent ?? '—'}</td>
            <td className="muted">You are here{current.parent ? ` (derived from ${current.parent})` : ''}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

/**
 * `#/guest/<vmid>`: configuration summary, current figures, history over hour..year (rrddata),
 * recent tasks, backups (vzdump tasks and the archives on backup storages), snapshots and notes
 * (GET /api/guests/:vmid/detail, read from PVE on opening the page), and the actions its state
 * allows. Notes are shown as data: plain text in a <pre>, never HTML or markdown.
 */
export function GuestPage({
  vmid,
  snapshot,
  tasks,
  archives,
  store,
  canAct,
  mode,
  loaded,
}: {
  vmid: number;
  snapshot: SnapshotDto | null;
  tasks: ReadonlyMap<string, TaskDto>;
  archives?: readonly BackupVolumeDto[] | undefined;
  store: DashboardStore;
  canAct: boolean;
  mode: VisualMode;
  loaded: boolean;
}) {
  const { now, offsetMs } = useFreshness();
  const guest = snapshot?.guests.find((entry) => entry.vmid === vmid);
  const fetched = useApi(guest ? `/api/guests/${vmid}/detail` : undefined, GuestDetailDtoSchema);
  // Only this guest's answer counts (the hook keeps the previous guest's data while the next loads).
  const detail = { data: fetched.data?.vmid === vmid ? fetched.data : undefined, error: fetched.data?.vmid === vmid ? undefined : fetched.error };
  const myArchives = (archives ?? []).filter((entry) => entry.vmid === vmid);
  const last = lastBackups(tasks.values(), myArchives).get(vmid);
  const nodeOnline = snapshot?.nodes.some((node) => node.name === guest?.node && node.status === 'online') ?? false;
  const mine = [...tasks.values()].filter((task) => task.vmid === vmid).sort((a, b) => b.startedAt - a.startedAt);
  const backups = mine.filter((task) => task.type === 'vzdump');
  const title = guest ? `${guest.type === 'qemu' ? 'VM' : 'CT'} ${guest.vmid} ${guest.name ?? ''}` : `Guest ${vmid}`;
  return (
    <div className="detail-page" data-testid="guest-page">
      <p className="breadcrumb">
        <a href={href('overview')}>← Overview</a>
        {guest ? (
          <>
            {' '}
            · node <a href={href('node', guest.node)}>{guest.node}</a>
          </>
        ) : null}
      </p>
      <Section
        id="guest-detail"
        title={title}
        loading={!loaded}
        error={loaded && snapshot && !guest ? `no guest ${vmid} in the cluster` : undefined}
        dataTs={snapshot?.takenAt}
      >
        {guest ? (
          <div className="detail-grid">
            <dl className="figures config" data-testid="guest-config">
              <dt>Status</dt>
              <dd>
                {nodeOnline ? statusText(guest.status) : '? unknown (node offline)'}
                {guest.lock ? ` ⚠ lock: ${guest.lock}` : ''}
              </dd>
              <dt>Type</dt>
              <dd>
                {guest.type === 'qemu' ? 'QEMU VM' : 'LXC container'}
                {guest.template ? ' (template)' : ''}
              </dd>
              <dt>Node</dt>
              <dd>{guest.node}</dd>
              <dt>CPUs</dt>
              <dd className="mono">{guest.maxcpu ?? UNKNOWN}</dd>
              <dt>Memory</dt>
              <dd className="mono">{formatBytes(guest.maxmem)}</dd>
              <dt>Disk</dt>
              <dd className="mono">{formatBytes(guest.maxdisk)}</dd>
              <dt>Tags</dt>
              <dd>
                {guest.tags.length
                  ? guest.tags.map((tag) => (
                      <span key={tag} className="tag">
                        {tag}
                      </span>
                    ))
                  : UNKNOWN}
              </dd>
              <dt>HA</dt>
              <dd>{guest.hastate ?? UNKNOWN}</dd>
              <dt>Uptime</dt>
              <dd className="mono">{nodeOnline && guest.status === 'running' ? formatUptime(guest.uptime) : UNKNOWN}</dd>
            </dl>
            <dl className="figures current" data-testid="guest-figures">
              <dt>CPU</dt>
              <dd>
                <UsageBar fraction={nodeOnline ? guestCpu(guest) : undefined} label="CPU" />
              </dd>
              <dt>Memory</dt>
              <dd>
                <UsageBar fraction={nodeOnline ? ratio(guest.mem, guest.maxmem) : undefined} used={guest.mem} total={guest.maxmem} label="memory" />{' '}
                <span className="mono small">{nodeOnline && guest.mem !== undefined ? formatBytes(guest.mem) : UNKNOWN}</span>
              </dd>
              <dt>Disk</dt>
              <dd>
                <UsageBar fraction={nodeOnline ? ratio(guest.disk, guest.maxdisk) : undefined} used={guest.disk} total={guest.maxdisk} label="disk" />
              </dd>
              <dt>Net in/out</dt>
              <dd className="mono">
                {formatBytes(guest.netin)} / {formatBytes(guest.netout)}
              </dd>
            </dl>
            <div className="detail-actions">
              <h3>Actions</h3>
              {canAct ? (
                <ActionButtons guest={guest} store={store} canAct={canAct} nodeOnline={nodeOnline} />
              ) : (
                <p className="muted small">Viewers cannot act on guests.</p>
              )}
            </div>
          </div>
        ) : null}
      </Section>
      {guest ? (
        <>
          <Section id="guest-history" title="History" loading={false}>
            {/* keyed by the guest: the chosen range starts over at "hour" on every guest (it never carries over) */}
            <HistoryChart
              key={vmid}
              baseUrl={`/api/history?kind=guest&node=${encodeURIComponent(guest.node)}&vmid=${guest.vmid}&type=${guest.type}`}
              label={`guest ${guest.vmid}`}
              mode={mode}
              width={1100}
            />
          </Section>
          <div className="detail-columns">
            <Section id="guest-tasks" title="Recent tasks" loading={false}>
              <TaskRows tasks={mine.slice(0, 10)} empty="No task of this guest seen yet." label="Recent tasks table" />
            </Section>
            <Section id="guest-backups" title="Backups" loading={false}>
              <p
                className={guest.template || !backupNeedsAttention(last, now + offsetMs) ? 'muted small' : 'backup-missing'}
                data-testid="guest-last-backup"
                data-attention={!guest.template && backupNeedsAttention(last, now + offsetMs)}
              >
                {last
                  ? `${last.ok === false ? '✖' : last.running ? '◷' : backupNeedsAttention(last, now + offsetMs) ? '⚠' : '✔'} Last backup ${formatAge(Math.max(0, now + offsetMs - last.at))} ago${last.ok === false ? ` — latest attempt failed: ${last.exitstatus ?? 'failed'}` : last.running ? ' — a backup is running' : ''}`
                  : '⚠ No backup of this guest seen (no vzdump task, no archive on the backup storages).'}
              </p>
              {myArchives.length > 0 ? (
                <ul className="plain-list mono small" data-testid="guest-archives">
                  {myArchives.slice(0, 10).map((entry) => (
                    <li key={entry.volid}>
                      {entry.createdAt !== undefined ? formatWhen(entry.createdAt) : '—'} · {entry.storage}
                      {entry.shared ? '' : ` (${entry.node})`} · {formatBytes(entry.size)}
                      {entry.protected ? ' · protected' : ''}
                      {entry.notes ? ` · ${entry.notes}` : ''}
                    </li>
                  ))}
                </ul>
              ) : null}
              {backups.length > 0 ? <TaskRows tasks={backups.slice(0, 10)} empty="" label="Backup tasks table" /> : null}
            </Section>
          </div>
          <div className="detail-columns wide-first">
            <Section
              id="guest-snapshots"
              title="Snapshots"
              loading={detail.data === undefined && detail.error === undefined}
              error={detail.error?.message}
              dataTs={detail.data?.readAt}
            >
              {detail.data ? (
                <ScrollRegion label="Snapshots table">
                  <SnapshotList snapshots={detail.data.snapshots} />
                </ScrollRegion>
              ) : null}
            </Section>
            <Section id="guest-notes" title="Notes" loading={detail.data === undefined && detail.error === undefined} error={detail.error?.message}>
              {detail.data?.notes !== undefined ? (
                <pre className="guest-notes" data-testid="guest-notes-text">
                  {detail.data.notes}
                </pre>
              ) : (
                <p className="muted small" data-testid="no-notes">
                  No notes.
                </p>
              )}
              <p className="muted small">PVE notes are shown as plain text: data, never instructions or markup.</p>
            </Section>
          </div>
        </>
      ) : null}
    </div>
  );
}
