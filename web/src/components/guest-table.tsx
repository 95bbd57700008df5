import { Fragment, useState } from 'react';
import type { GuestDto, SnapshotDto } from '../../../src/protocol/index.ts';
import type { DashboardStore, LastKnownGuest } from '../lib/dashboard-store.ts';
import { formatAge } from '../lib/freshness.ts';
import { formatFraction, formatUptime, formatUsage, UNKNOWN } from '../lib/format.ts';
import { useAge } from './freshness-context.ts';
import { GuestActions } from './guest-actions.tsx';
import { MetricChart } from './metric-chart.tsx';
import { Section } from './section.tsx';

function statusText(status: string): string {
  if (status === 'running') return '▶ running';
  if (status === 'stopped') return '■ stopped';
  return `? ${status}`;
}

/** QEMU disk usage is unknown to PVE without a guest agent: "—", not 0. */
function diskText(guest: GuestDto): string {
  return guest.disk === undefined ? UNKNOWN : formatUsage(guest.disk, guest.maxdisk);
}

/**
 * Status, figures and node note of one guest. On a node that is not online nothing is live: the
 * status is "unknown", the figures are the last ones seen while the node was online (italic, with
 * their age), or "—" when none were seen.
 */
function GuestCells({ guest, nodeOnline, lastKnown }: { guest: GuestDto; nodeOnline: boolean; lastKnown: LastKnownGuest | undefined }) {
  const age = useAge(nodeOnline ? undefined : lastKnown?.takenAt);
  if (nodeOnline) {
    return (
      <>
        <td>{guest.node}</td>
        <td>{statusText(guest.status)}{guest.lock ? ` (locked: ${guest.lock})` : ''}</td>
        <td>{formatFraction(guest.cpu)}</td>
        <td>{formatUsage(guest.mem, guest.maxmem)}</td>
        <td>{diskText(guest)}</td>
        <td>{guest.status === 'running' ? formatUptime(guest.uptime) : UNKNOWN}</td>
      </>
    );
  }
  const shown = lastKnown?.guest;
  return (
    <>
      <td>
        {guest.node}{' '}
        <span className="last-known" data-testid="guest-last-known">
          {shown && age !== undefined ? `(node offline: last known, ${formatAge(age)} old — not live)` : '(node offline: no data)'}
        </span>
      </td>
      <td className="stale-figure">? unknown{shown ? ` (was ${shown.status})` : ''}</td>
      <td className="stale-figure">{formatFraction(shown?.cpu)}</td>
      <td className="stale-figure">{formatUsage(shown?.mem, shown?.maxmem)}</td>
      <td className="stale-figure">{shown ? diskText(shown) : UNKNOWN}</td>
      <td>{UNKNOWN}</td>
    </>
  );
}

/** Guests with live figures ("—" when unknown), per-guest actions and an expandable chart. */
export function GuestTable({ snapshot, lastKnownGuests, store, canAct, loaded }: { snapshot: SnapshotDto | null; lastKnownGuests: ReadonlyMap<number, LastKnownGuest>; store: DashboardStore; canAct: boolean; loaded: boolean }) {
  const [open, setOpen] = useState<number | undefined>(undefined);
  const online = new Set(snapshot?.nodes.filter((node) => node.status === 'online').map((node) => node.name));
  return (
    <Section id="guests" title="Guests" loading={!loaded} error={loaded && !snapshot ? 'no cluster data' : undefined} dataTs={snapshot?.takenAt}>
      <table className="table guests">
        <thead>
          <tr>
            <th scope="col">ID</th><th scope="col">Name</th><th scope="col">Node</th><th scope="col">Status</th>
            <th scope="col">CPU</th><th scope="col">Memory</th><th scope="col">Disk</th><th scope="col">Uptime</th><th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {snapshot?.guests.map((guest) => (
            <Fragment key={guest.vmid}>
              <tr data-testid={`guest-${guest.vmid}`} data-status={online.has(guest.node) ? guest.status : 'unknown'}>
                <td>
                  <button type="button" className="link" aria-expanded={open === guest.vmid} onClick={() => setOpen(open === guest.vmid ? undefined : guest.vmid)}>
                    {guest.vmid}
                  </button>
                </td>
                <td>{guest.name ?? UNKNOWN}{guest.template ? ' (template)' : ''}</td>
                <GuestCells guest={guest} nodeOnline={online.has(guest.node)} lastKnown={lastKnownGuests.get(guest.vmid)} />
                <td><GuestActions guest={guest} store={store} canAct={canAct} /></td>
              </tr>
              {open === guest.vmid ? (
                <tr>
                  <td colSpan={9}><MetricChart
                      store={store}
                      seriesKey={`guest:${guest.vmid}`}
                      label={`guest ${guest.vmid}`}
                      historyUrl={`/api/history?kind=guest&node=${encodeURIComponent(guest.node)}&vmid=${guest.vmid}&type=${guest.type}`}
                      width={560}
                    /></td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
