import { Fragment, useState } from 'react';
import type { GuestDto, SnapshotDto } from '../../../src/protocol/index.ts';
import type { DashboardStore } from '../lib/dashboard-store.ts';
import { formatFraction, formatUptime, formatUsage, UNKNOWN } from '../lib/format.ts';
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

/** Guests with live figures ("—" when unknown), per-guest actions and an expandable chart. */
export function GuestTable({ snapshot, store, canAct, loaded }: { snapshot: SnapshotDto | null; store: DashboardStore; canAct: boolean; loaded: boolean }) {
  const [open, setOpen] = useState<number | undefined>(undefined);
  const offline = new Set(snapshot?.nodes.filter((node) => node.status !== 'online').map((node) => node.name));
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
              <tr data-testid={`guest-${guest.vmid}`} data-status={guest.status}>
                <td>
                  <button type="button" className="link" aria-expanded={open === guest.vmid} onClick={() => setOpen(open === guest.vmid ? undefined : guest.vmid)}>
                    {guest.vmid}
                  </button>
                </td>
                <td>{guest.name ?? UNKNOWN}{guest.template ? ' (template)' : ''}</td>
                <td>{guest.node}{offline.has(guest.node) ? ' (node offline: last known)' : ''}</td>
                <td>{statusText(guest.status)}{guest.lock ? ` (locked: ${guest.lock})` : ''}</td>
                <td>{formatFraction(guest.cpu)}</td>
                <td>{formatUsage(guest.mem, guest.maxmem)}</td>
                <td>{diskText(guest)}</td>
                <td>{guest.status === 'running' ? formatUptime(guest.uptime) : UNKNOWN}</td>
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
