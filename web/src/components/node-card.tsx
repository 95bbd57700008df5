import type { NodeDto } from '../../../src/protocol/index.ts';
import type { DashboardStore, LastKnownNode } from '../lib/dashboard-store.ts';
import { formatAge } from '../lib/freshness.ts';
import { formatFraction, formatUptime, formatUsage } from '../lib/format.ts';
import { useAge } from './freshness-context.ts';
import { MetricChart } from './metric-chart.tsx';

const STATUS_TEXT: Record<NodeDto['status'], string> = { online: '▲ online', offline: '▼ offline', unknown: '? unknown' };

/**
 * One node: live figures when online; when offline or unknown, the last figures seen while it was
 * online, labelled "last known" with their age (never presented as live), or "—".
 */
export function NodeCard({ node, lastKnown, store }: { node: NodeDto; lastKnown: LastKnownNode | undefined; store: DashboardStore }) {
  const live = node.status === 'online';
  const shown = live ? node : lastKnown?.node;
  const lastKnownAge = useAge(live ? undefined : lastKnown?.takenAt);
  return (
    <article className={`node-card node-${node.status}`} data-testid={`node-${node.name}`} data-status={node.status} aria-label={`node ${node.name}`}>
      <header>
        <h3>{node.name}</h3>
        <span className={`badge badge-${node.status}`}>{STATUS_TEXT[node.status]}</span>
      </header>
      {!live ? (
        <p className="last-known" data-testid="last-known">
          {lastKnown && lastKnownAge !== undefined ? `Last known values, ${formatAge(lastKnownAge)} old — not live` : 'No data: node is not reporting'}
        </p>
      ) : null}
      <dl className={live ? 'figures' : 'figures figures-stale'}>
        <dt>CPU</dt>
        <dd>{formatFraction(shown?.cpu)}{shown?.maxcpu !== undefined ? ` of ${shown.maxcpu} cores` : ''}</dd>
        <dt>Memory</dt>
        <dd>{formatUsage(shown?.mem, shown?.maxmem)}</dd>
        <dt>Root disk</dt>
        <dd>{formatUsage(shown?.disk, shown?.maxdisk)}</dd>
        <dt>Uptime</dt>
        <dd>{live ? formatUptime(node.uptime) : '—'}</dd>
      </dl>
      <MetricChart store={store} seriesKey={`node:${node.name}`} label={`node ${node.name}`} historyUrl={`/api/history?kind=node&node=${encodeURIComponent(node.name)}`} />
    </article>
  );
}
