import type { DataHealth, SnapshotDto } from '../../../src/protocol/index.ts';
import type { DashboardStore, LastKnownNode } from '../lib/dashboard-store.ts';
import { formatUsage, UNKNOWN } from '../lib/format.ts';
import { NodeCard } from './node-card.tsx';
import { Section } from './section.tsx';

export interface ClusterOverviewProps {
  readonly snapshot: SnapshotDto | null;
  readonly data: DataHealth | undefined;
  readonly lastKnownNodes: ReadonlyMap<string, LastKnownNode>;
  readonly store: DashboardStore;
  readonly loaded: boolean;
}

/** Quorum, nodes (with charts) and storage, aged by the snapshot's `takenAt`. */
export function ClusterOverview({ snapshot, data, lastKnownNodes, store, loaded }: ClusterOverviewProps) {
  const error = loaded && !snapshot ? data?.lastError?.message ?? 'Jarvis has not read the cluster yet' : undefined;
  const online = new Set(snapshot?.nodes.filter((node) => node.status === 'online').map((node) => node.name));
  return (
    <Section id="cluster" title="Cluster" loading={!loaded} error={error} dataTs={snapshot?.takenAt}>
      {snapshot ? (
        <>
          {data && !data.fresh ? (
            <p className="notice" role="status">⚠ Last poll failed ({data.lastError?.code ?? 'unknown error'}): figures are last-known.</p>
          ) : null}
          <p className={`quorum quorum-${snapshot.quorum.quorate ? 'ok' : 'lost'}`} data-testid="quorum">
            {snapshot.quorum.quorate ? '✔ Quorate' : '✖ NO QUORUM'} — {snapshot.quorum.votesOnline} of {snapshot.quorum.votesTotal} votes online,{' '}
            {snapshot.quorum.votesNeeded} needed{snapshot.clusterName ? ` (cluster ${snapshot.clusterName})` : ''}
          </p>
          <div className="node-grid">
            {snapshot.nodes.map((node) => (
              <NodeCard key={node.name} node={node} lastKnown={lastKnownNodes.get(node.name)} store={store} />
            ))}
          </div>
          <h3 className="subheading">Storage</h3>
          <table className="table">
            <thead>
              <tr><th scope="col">Storage</th><th scope="col">Node</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Used</th></tr>
            </thead>
            <tbody>
              {snapshot.storage.map((entry) => {
                // Storage seen through a node that is not online is not live, whatever the snapshot says.
                const live = online.has(entry.node);
                return (
                  <tr key={entry.id} data-testid={`storage-${entry.id}`} data-status={live ? entry.status : 'unknown'}>
                    <td>{entry.storage}{entry.shared ? ' (shared)' : ''}</td>
                    <td>{entry.node}</td>
                    <td>{entry.type}</td>
                    <td>{!live ? '? unknown (node offline)' : entry.status === 'available' ? '✔ available' : '? unknown'}</td>
                    <td>{live ? formatUsage(entry.used, entry.total) : UNKNOWN}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
    </Section>
  );
}
