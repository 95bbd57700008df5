import { useContext } from 'react';
import type { ConnectionStatus } from '../lib/connection-status.ts';
import { formatAge, freshnessLevel } from '../lib/freshness.ts';
import { FreshnessContext, useAge } from './freshness-context.ts';

/**
 * The prominent banner once the cluster data is older than the banner threshold (60 s): says
 * whether the dashboard lost Jarvis or Jarvis lost the cluster, and how old the data is.
 */
export function StaleBanner({ status, takenAt, serverFresh }: { status: ConnectionStatus; takenAt: number | undefined; serverFresh: boolean }) {
  const { thresholds } = useContext(FreshnessContext);
  const age = useAge(takenAt);
  if (freshnessLevel(age, thresholds) !== 'stale' || (age === undefined && status === 'connected')) return null;
  const ageText = age === undefined ? 'no data received yet' : `the data shown is ${formatAge(age)} old`;
  const cause = status !== 'connected' ? 'Disconnected from Jarvis' : serverFresh ? 'No update from the cluster' : 'Jarvis cannot reach the cluster';
  return (
    <div className="stale-banner" role="alert" data-testid="stale-banner">
      <strong>⚠ {cause}:</strong> {ageText}. Nothing on this page is live until this banner disappears.
    </div>
  );
}
