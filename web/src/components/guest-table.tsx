import { useMemo, useState } from 'react';
import { useMediaQuery } from '../hooks/use-media-query.ts';
import type { BackupVolumeDto, GuestDto, SnapshotDto, TaskDto } from '../../../src/protocol/index.ts';
import type { DashboardStore, LastKnownGuest } from '../lib/dashboard-store.ts';
import { formatAge } from '../lib/freshness.ts';
import { formatUptime, UNKNOWN } from '../lib/format.ts';
import {
  backupNeedsAttention,
  EMPTY_FILTER,
  guestCpu,
  lastBackups,
  matchesFilter,
  ratio,
  sortGuests,
  type BackupInfo,
  type GuestFilter,
  type SortKey,
} from '../lib/guest-view.ts';
import { firstPage, pagingFor, showMore } from '../lib/paging.ts';
import { href } from '../lib/router.ts';
import { ActionButtons } from './action-buttons.tsx';
import { FilterSelect } from './filter-select.tsx';
import { useAge, useFreshness } from './freshness-context.ts';
import { Section } from './section.tsx';
import { UsageBar } from './usage-bar.tsx';

export function statusText(status: string): string {
  if (status === 'running') return '▶ running';
  if (status === 'stopped') return '■ stopped';
  return `? ${status}`;
}

const COLUMNS: { key: SortKey; label: string; className?: string }[] = [
  { key: 'type', label: 'Type' },
  { key: 'name', label: 'Name' },
  { key: 'vmid', label: 'ID' },
  { key: 'node', label: 'Node' },
  { key: 'status', label: 'Status' },
  { key: 'cpu', label: 'CPU', className: 'col-bar' },
  { key: 'mem', label: 'Memory', className: 'col-bar' },
  { key: 'disk', label: 'Disk', className: 'col-bar' },
  { key: 'uptime', label: 'Uptime' },
];

/** Rows above this count are virtualised in the table layout (only the visible window is in the DOM). */
export const VIRTUALISE_ABOVE = 200;
/**
 * Cards (below 700 px) are ~230 px tall and vary with their content, so they are not virtualised
 * (the window maths assumes fixed 29 px rows): the list shows this many, then "Show more".
 */
export const CARD_PAGE = 50;
/** The phone breakpoint of styles-v2.css (the rows render as cards). */
const CARD_QUERY = '(max-width: 700px)';
const ROW_HEIGHT = 29;
const WINDOW_ROWS = 40;

function BackupCell({ backup, now, template }: { backup: BackupInfo | undefined; now: number; template: boolean }) {
  if (template && !backup)
    return (
      <td className="backup muted" data-label="Backup">
        template
      </td>
    );
  const attention = backupNeedsAttention(backup, now);
  if (!backup)
    return (
      <td className="backup backup-missing" data-attention="true" data-label="Backup">
        ⚠ none
      </td>
    );
  const text = backup.running ? '◷ running' : `${backup.ok === false ? '✖ ' : attention ? '⚠ ' : ''}${formatAge(Math.max(0, now - backup.at))}`;
  const title = [backup.exitstatus, backup.volid].filter(Boolean).join(' · ') || undefined;
  return (
    <td className={attention ? 'backup backup-missing' : 'backup'} data-attention={attention} data-label="Backup" data-source={backup.source} title={title}>
      {text}
    </td>
  );
}

function GuestRow({
  guest,
  nodeOnline,
  lastKnown,
  store,
  canAct,
  backup,
  now,
}: {
  guest: GuestDto;
  nodeOnline: boolean;
  lastKnown: LastKnownGuest | undefined;
  store: DashboardStore;
  canAct: boolean;
  backup: BackupInfo | undefined;
  now: number;
}) {
  const age = useAge(nodeOnline ? undefined : lastKnown?.takenAt);
  const shown = nodeOnline ? guest : lastKnown?.guest;
  const stale = !nodeOnline;
  return (
    <tr
      data-testid={`guest-${guest.vmid}`}
      data-status={nodeOnline ? guest.status : 'unknown'}
      className={`guest-row status-${nodeOnline ? guest.status : 'unknown'}`}
    >
      <td className="type" data-label="Type">
        <span className={`type-badge type-${guest.type}`}>{guest.type === 'qemu' ? 'VM' : 'CT'}</span>
      </td>
      <td className="name" data-label="Name">
        <a href={href('guest', guest.vmid)}>{guest.name ?? UNKNOWN}</a>
      </td>
      <td className="vmid num" data-label="ID">
        {guest.vmid}
      </td>
      <td className="node" data-label="Node">
        <a href={href('node', guest.node)}>{guest.node}</a>
        {stale ? (
          <span className="last-known" data-testid="guest-last-known">
            {' '}
            {shown && age !== undefined ? `(node offline: last known, ${formatAge(age)} old — not live)` : '(node offline: no data)'}
          </span>
        ) : null}
      </td>
      <td className={stale ? 'status stale-figure' : 'status'} data-label="Status">
        {stale ? `? unknown${shown ? ` (was ${shown.status})` : ''}` : statusText(guest.status)}
        {!stale && guest.lock ? (
          <span className="lock" title={`locked by PVE: ${guest.lock}`}>
            {' '}
            ⚠ {guest.lock}
          </span>
        ) : null}
      </td>
      <td className="col-bar" data-label="CPU">
        <UsageBar fraction={guestCpu(shown)} label={`CPU of ${guest.vmid}`} stale={stale} />
      </td>
      <td className="col-bar" data-label="Memory">
        <UsageBar fraction={ratio(shown?.mem, shown?.maxmem)} used={shown?.mem} total={shown?.maxmem} label={`memory of ${guest.vmid}`} stale={stale} />
      </td>
      <td className="col-bar" data-label="Disk">
        <UsageBar fraction={ratio(shown?.disk, shown?.maxdisk)} used={shown?.disk} total={shown?.maxdisk} label={`disk of ${guest.vmid}`} stale={stale} />
      </td>
      <td className="uptime num" data-label="Uptime">
        {!stale && guest.status === 'running' ? formatUptime(guest.uptime) : UNKNOWN}
      </td>
      <td className="tags" data-label="Tags">
        {guest.tags.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          guest.tags.map((tag) => (
            <span key={tag} className="tag">
              {tag}
            </span>
          ))
        )}
      </td>
      <BackupCell backup={backup} now={now} template={guest.template} />
      {canAct ? (
        <td className="actions" data-label="Actions">
          <ActionButtons guest={guest} store={store} canAct={canAct} nodeOnline={nodeOnline} compact />
        </td>
      ) : null}
    </tr>
  );
}

/**
 * The first-screen guest table: type, name, id, node, status, CPU/memory/disk bars with thresholds,
 * uptime, tags, backup age (vzdump tasks merged with backup storage contents) and the actions that fit the state. Sortable (click a header),
 * searchable, filterable (node, type, status, tag). Below ~700 px the same rows render as cards
 * (CSS). Above VIRTUALISE_ABOVE rows the table renders only the visible window; cards render
 * CARD_PAGE at a time with "Show more" (no fixed row height to window on); a new search, filter or
 * sort starts again at one page.
 */
export function GuestTable({
  snapshot,
  lastKnownGuests,
  store,
  canAct,
  loaded,
  tasks,
  archives,
}: {
  snapshot: SnapshotDto | null;
  lastKnownGuests: ReadonlyMap<number, LastKnownGuest>;
  store: DashboardStore;
  canAct: boolean;
  loaded: boolean;
  tasks: ReadonlyMap<string, TaskDto>;
  archives?: readonly BackupVolumeDto[] | undefined;
}) {
  const [filter, setFilter] = useState<GuestFilter>(EMPTY_FILTER);
  const [sort, setSort] = useState<{ key: SortKey; direction: 'asc' | 'desc' }>({ key: 'vmid', direction: 'asc' });
  const [scrollTop, setScrollTop] = useState(0);
  const cards = useMediaQuery(CARD_QUERY);
  // "Show more" raises the count for the current search, filters and sort only: any change of
  // them starts again at one page (adjusted during render, so no frame shows the old count).
  const query = JSON.stringify([filter, sort]);
  const [storedPaging, setPaging] = useState(() => firstPage(query, CARD_PAGE));
  const paging = pagingFor(storedPaging, query, CARD_PAGE);
  if (paging !== storedPaging) setPaging(paging);
  const { now, offsetMs } = useFreshness();
  const serverNow = now + offsetMs;
  const online = useMemo(() => new Set(snapshot?.nodes.filter((node) => node.status === 'online').map((node) => node.name)), [snapshot]);
  const backups = useMemo(() => lastBackups(tasks.values(), archives), [tasks, archives]);
  const guests = snapshot?.guests ?? [];
  const rows = useMemo(
    () =>
      sortGuests(
        guests.filter((guest) => matchesFilter(guest, filter)),
        sort.key,
        sort.direction,
        backups,
      ),
    [guests, filter, sort, backups],
  );
  const nodes = useMemo(() => [...new Set(guests.map((guest) => guest.node))].sort(), [guests]);
  const tags = useMemo(() => [...new Set(guests.flatMap((guest) => guest.tags))].sort(), [guests]);
  const statuses = useMemo(() => [...new Set(guests.map((guest) => guest.status))].sort(), [guests]);
  const virtual = !cards && rows.length > VIRTUALISE_ABOVE;
  const first = virtual ? Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 5) : 0;
  const visible = virtual ? rows.slice(first, first + WINDOW_ROWS) : cards ? rows.slice(0, paging.limit) : rows;
  const setKey = (key: SortKey) => setSort((current) => ({ key, direction: current.key === key && current.direction === 'asc' ? 'desc' : 'asc' }));
  const columns = COLUMNS.length + 2 + (canAct ? 1 : 0);

  const toolbar = (
    <div className="guest-toolbar" role="search">
      <label className="filter search">
        <span className="visually-hidden">Search guests</span>
        <input
          type="search"
          placeholder="Search name, id, tag…"
          value={filter.search}
          onChange={(event) => setFilter({ ...filter, search: event.target.value })}
          data-testid="guest-search"
          aria-label="Search guests"
        />
      </label>
      <FilterSelect label="Node" value={filter.node} options={nodes} onChange={(node) => setFilter({ ...filter, node })} testId="filter-node" />
      <FilterSelect label="Type" value={filter.type} options={['qemu', 'lxc']} onChange={(type) => setFilter({ ...filter, type })} testId="filter-type" />
      <FilterSelect label="Status" value={filter.status} options={statuses} onChange={(status) => setFilter({ ...filter, status })} testId="filter-status" />
      <FilterSelect label="Tag" value={filter.tag} options={tags} onChange={(tag) => setFilter({ ...filter, tag })} testId="filter-tag" />
      <span className="muted small" data-testid="guest-count">
        {rows.length} of {guests.length}
      </span>
    </div>
  );

  return (
    <Section
      id="guests"
      title="Guests"
      loading={!loaded}
      error={loaded && !snapshot ? 'no cluster data' : undefined}
      dataTs={snapshot?.takenAt}
      actions={toolbar}
    >
      <div
        className={virtual ? 'table-scroll virtual' : 'table-scroll'}
        onScroll={virtual ? (event) => setScrollTop(event.currentTarget.scrollTop) : undefined}
        data-testid="guest-scroll"
      >
        <table className="table guests dense">
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  className={column.className}
                  aria-sort={sort.key === column.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" className="sort" onClick={() => setKey(column.key)} data-testid={`sort-${column.key}`}>
                    {column.label}
                    {sort.key === column.key ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
              <th scope="col">Tags</th>
              <th scope="col" aria-sort={sort.key === 'backup' ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" className="sort" onClick={() => setKey('backup')} data-testid="sort-backup">
                  Backup{sort.key === 'backup' ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
              {canAct ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {virtual && first > 0 ? (
              <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }}>
                <td colSpan={columns} />
              </tr>
            ) : null}
            {visible.map((guest) => (
              <GuestRow
                key={guest.vmid}
                guest={guest}
                nodeOnline={online.has(guest.node)}
                lastKnown={lastKnownGuests.get(guest.vmid)}
                store={store}
                canAct={canAct}
                backup={backups.get(guest.vmid)}
                now={serverNow}
              />
            ))}
            {virtual && first + visible.length < rows.length ? (
              <tr aria-hidden="true" style={{ height: (rows.length - first - visible.length) * ROW_HEIGHT }}>
                <td colSpan={columns} />
              </tr>
            ) : null}
          </tbody>
        </table>
        {rows.length === 0 && guests.length > 0 ? <p className="muted">No guest matches the filters.</p> : null}
        {cards && visible.length < rows.length ? (
          <p className="show-more" data-testid="guest-show-more">
            <span className="muted small">
              Showing {visible.length} of {rows.length}.
            </span>{' '}
            <button type="button" onClick={() => setPaging((current) => showMore(current, query, CARD_PAGE))}>
              Show {Math.min(CARD_PAGE, rows.length - visible.length)} more
            </button>
          </p>
        ) : null}
      </div>
    </Section>
  );
}
