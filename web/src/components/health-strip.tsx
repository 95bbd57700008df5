import { useContext } from 'react';
import type { DataHealth, SnapshotDto } from '../../../src/protocol/index.ts';
import type { ConnectionStatus } from '../lib/connection-status.ts';
import { formatAge, freshnessLevel } from '../lib/freshness.ts';
import { href } from '../lib/router.ts';
import { FreshnessContext, useAge } from './freshness-context.ts';

/**
 * The compact cluster line under the header (sticky with it): quorum, nodes online, guests
 * running, alerts (a count the monitor's component passes in; "—" until it does), pending
 * approvals and the data age. Text carries every state. A named <section>, so it is a landmark
 * region (axe's `region` rule: no content outside landmarks). Below 700 px it wraps into two short
 * rows (styles-v2.css).
 */
export function HealthStrip({
  snapshot,
  data,
  approvalsPending,
  alerts,
  status,
}: {
  snapshot: SnapshotDto | null;
  data: DataHealth | undefined;
  approvalsPending: number;
  alerts: number | undefined;
  status: ConnectionStatus;
}) {
  const { thresholds } = useContext(FreshnessContext);
  const age = useAge(snapshot?.takenAt);
  const level = status !== 'connected' ? 'stale' : freshnessLevel(age, thresholds);
  const online = snapshot?.nodes.filter((node) => node.status === 'online').length ?? 0;
  const running = snapshot?.guests.filter((guest) => guest.status === 'running').length ?? 0;
  return (
    <section className="health-strip" data-testid="health-strip" aria-label="Cluster health">
      <span className={snapshot?.quorum.quorate === false ? 'chip chip-bad' : 'chip'} data-testid="strip-quorum">
        {snapshot
          ? snapshot.quorum.quorate
            ? `✔ Quorate ${snapshot.quorum.votesOnline}/${snapshot.quorum.votesTotal}`
            : `✖ NO QUORUM ${snapshot.quorum.votesOnline}/${snapshot.quorum.votesTotal}`
          : 'Quorum —'}
      </span>
      <span className={snapshot && online < snapshot.nodes.length ? 'chip chip-warn' : 'chip'} data-testid="strip-nodes">
        ▲ Nodes {snapshot ? `${online}/${snapshot.nodes.length}` : '—'}
      </span>
      <span className="chip" data-testid="strip-guests">
        ▶ Guests {snapshot ? `${running}/${snapshot.guests.length} running` : '—'}
      </span>
      <a className={alerts ? 'chip chip-warn' : 'chip'} href={href('alerts')} data-testid="strip-alerts">
        ⚑ Alerts {alerts ?? '—'}
      </a>
      <a className={approvalsPending > 0 ? 'chip chip-warn' : 'chip'} href={href('approvals')} data-testid="strip-approvals">
        ◆ Approvals {approvalsPending}
      </a>
      <span className={`chip chip-age age-${level}`} data-testid="strip-age" data-level={level}>
        {age === undefined ? 'Data —' : `${level === 'fresh' ? '◷' : '⚠'} Data ${formatAge(age)} old${data && !data.fresh ? ' (last poll failed)' : ''}`}
      </span>
    </section>
  );
}
