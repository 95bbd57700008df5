import { useContext } from 'react';
import { formatAge, freshnessLevel } from '../lib/freshness.ts';
import { FreshnessContext, useAge } from './freshness-context.ts';

/**
 * "updated 4 s ago", turning into a warning ("data may be stale") above the warn threshold.
 * Text, not colour alone, carries the state.
 */
export function DataAge({ serverTs, label = 'updated' }: { serverTs: number | undefined; label?: string }) {
  const { thresholds } = useContext(FreshnessContext);
  const age = useAge(serverTs);
  if (age === undefined) return <span className="age age-none">no data yet</span>;
  const level = freshnessLevel(age, thresholds);
  return (
    <span className={`age age-${level}`} data-level={level} data-testid="data-age">
      {level === 'fresh' ? `${label} ${formatAge(age)} ago` : `⚠ data may be stale — ${label} ${formatAge(age)} ago`}
    </span>
  );
}
