import type { DataHealth, SnapshotDto } from '../../../src/protocol/index.ts';
import type { LastKnownNode } from '../lib/dashboard-store.ts';
import { formatUsage, UNKNOWN } from '../lib/format.ts';
import { ratio } from '../lib/guest-view.ts';
import { dedupeStorage } from '../lib/storage-view.ts';
import { NodeCard } from './node-card.tsx';
import { Section } from './section.tsx';
import { UsageBar } from './usage-bar.tsx';
import { ScrollRegion } from './scroll-region.tsx';

export interface ClusterOverviewProps {
  readonly snapshot: SnapshotDto | null;
  readonly data: DataHealth | undefined;
  readonly lastKnownNodes: ReadonlyMap<string, LastKnownNode>;
  readonly loaded: boolean;
}

/** Compact node cards and storage (shared storage once), aged by the snapshot's `takenAt`. */
export function ClusterOverview({ snapshot, data, lastKnownNodes, loaded }: ClusterOverviewProps) {
  const error = loaded && !snapshot ? (data?.lastError?.message ?? 'Jarvis has not read the cluster yet') : undefined;
  const online = new Set(snapshot?.nodes.filter((node) => node.status === 'online').map((node) => node.name));
  const storage = snapshot ? dedupeStorage(snapshot.storage, online) : [];
  return (
    <Section id="cluster" title="Nodes and storage" loading={!loaded} error={error} dataTs={snapshot?.takenAt}>
      {snapshot ? (
        <>
          {data && !data.fresh ? (
            <p className="notice" role="status">
              ⚠ Last poll failed ({data.lastError?.code ?? 'unknown error'}): figures are last-known.
            </p>
          ) : null}
          <p className={`quorum quorum-${snapshot.quorum.quorate ? 'ok' : 'lost'} visually-hidden`} data-testid="quorum">
            {snapshot.quorum.quorate ? '✔ Quorate' : '✖ NO QUORUM'} — {snapshot.quorum.votesOnline} of {snapshot.quorum.votesTotal} votes online,{' '}
            {snapshot.quorum.votesNeeded} needed{snapshot.clusterName ? ` (cluster ${snapshot.clusterName})` : ''}
          </p>
          <div className="node-grid">
            {snapshot.nodes.map((node) => (
              <NodeCard key={node.name} node={node} lastKnown={lastKnownNodes.get(node.name)} />
            ))}
          </div>
          <ScrollRegion label="Storage table">
            <table className="table storage dense">
              <caption className="visually-hidden">Storage</caption>
              <thead>
                <tr>
                  <th scope="col">Storage</th>
                  <th scope="col">Nodes</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="col-bar">
                    Used
                  </th>
                  <th scope="col">Size</th>
                </tr>
              </thead>
              <tbody>
                {storage.map((row) => (
                  <tr key={row.key} data-testid={`storage-${row.shared ? row.key : row.entry.id}`} data-status={row.live ? row.entry.status : 'unknown'}>
                    <td>
                      {row.storage}
                      {row.shared ? <span className="tag">shared</span> : null}
                    </td>
                    <td>{row.shared ? `${row.nodes.length} nodes` : row.entry.node}</td>
                    <td>{row.type}</td>
                    <td>{!row.live ? '? unknown (node offline)' : '✔ available'}</td>
                    <td className="col-bar">
                      {row.live ? (
                        <UsageBar
                          fraction={ratio(row.entry.used, row.entry.total)}
                          used={row.entry.used}
                          total={row.entry.total}
                          label={`${row.storage} used`}
                        />
                      ) : (
                        UNKNOWN
                      )}
                    </td>
                    <td className="mono">{row.live ? formatUsage(row.entry.used, row.entry.total) : UNKNOWN}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      ) : null}
    </Section>
  );
}
