import type { NodeDto } from '../../../src/protocol/index.ts';
import type { LastKnownNode } from '../lib/dashboard-store.ts';
import { formatAge } from '../lib/freshness.ts';
import { formatUptime, formatUsage } from '../lib/format.ts';
import { ratio } from '../lib/guest-view.ts';
import { href } from '../lib/router.ts';
import { useAge } from './freshness-context.ts';
import { RingGauge } from './ring-gauge.tsx';
import { UsageBar } from './usage-bar.tsx';

const STATUS_TEXT: Record<NodeDto['status'], string> = { online: '▲ online', offline: '▼ offline', unknown: '? unknown' };

/**
 * One compact node card: name (links to its drill-down), status, CPU ring gauge, memory and root
 * disk bars, uptime. When offline or unknown: the last figures seen while online, labelled "last
 * known" with their age (never presented as live), or "—".
 */
export function NodeCard({ node, lastKnown }: { node: NodeDto; lastKnown: LastKnownNode | undefined }) {
  const live = node.status === 'online';
  const shown = live ? node : lastKnown?.node;
  const lastKnownAge = useAge(live ? undefined : lastKnown?.takenAt);
  return (
    <article className={`node-card node-${node.status}`} data-testid={`node-${node.name}`} data-status={node.status} aria-label={`node ${node.name}`}>
      <header>
        <h3>
          <a href={href('node', node.name)}>{node.name}</a>
        </h3>
        <span className={`badge badge-${node.status}`}>{STATUS_TEXT[node.status]}</span>
      </header>
      {!live ? (
        <p className="last-known" data-testid="last-known">
          {lastKnown && lastKnownAge !== undefined ? `Last known values, ${formatAge(lastKnownAge)} old — not live` : 'No data: node is not reporting'}
        </p>
      ) : null}
      <div className={live ? 'node-figures' : 'node-figures figures-stale'}>
        <RingGauge value={shown?.cpu} label={`CPU load of ${node.name}`} />
        <dl className="figures">
          <dt>CPU</dt>
          <dd className="mono">
            {shown?.cpu !== undefined ? `${Math.round(shown.cpu * 100)}%` : '—'}
            {shown?.maxcpu !== undefined ? ` of ${shown.maxcpu} cores` : ''}
          </dd>
          <dt>Memory</dt>
          <dd className="mono" title={formatUsage(shown?.mem, shown?.maxmem)}>
            <UsageBar fraction={ratio(shown?.mem, shown?.maxmem)} used={shown?.mem} total={shown?.maxmem} label={`memory of ${node.name}`} stale={!live} />{' '}
            <span className="bar-caption">{formatUsage(shown?.mem, shown?.maxmem)}</span>
          </dd>
          <dt>Root disk</dt>
          <dd className="mono">
            <UsageBar
              fraction={ratio(shown?.disk, shown?.maxdisk)}
              used={shown?.disk}
              total={shown?.maxdisk}
              label={`root disk of ${node.name}`}
              stale={!live}
            />
          </dd>
          <dt>Uptime</dt>
          <dd className="mono">{live ? formatUptime(node.uptime) : '—'}</dd>
        </dl>
      </div>
    </article>
  );
}
