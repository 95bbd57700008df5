import { formatBytes, UNKNOWN } from '../lib/format.ts';
import { usageLevel } from '../lib/guest-view.ts';

/**
 * A usage bar with thresholds (75 % warn, 90 % bad): the fill width is the value, the colour its
 * level, and the text says the figure (never colour alone). Unknown is "—" with no bar.
 */
export function UsageBar({
  fraction,
  used,
  total,
  label,
  stale = false,
}: {
  fraction: number | undefined;
  used?: number | undefined;
  total?: number | undefined;
  label: string;
  stale?: boolean;
}) {
  if (fraction === undefined || !Number.isFinite(fraction)) return <span className={stale ? 'bar-text stale-figure' : 'bar-text'}>{UNKNOWN}</span>;
  const level = usageLevel(fraction);
  const pct = Math.round(fraction * 100);
  const title = used !== undefined && total !== undefined ? `${label} ${formatBytes(used)} / ${formatBytes(total)}` : `${label} ${pct}%`;
  return (
    <span
      className={`bar bar-${level}${stale ? ' stale-figure' : ''}`}
      title={title}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <span className="bar-fill" style={{ transform: `scaleX(${Math.max(0.02, fraction)})` }} />
      <span className="bar-text">
        {pct}%{level === 'bad' ? ' !' : ''}
      </span>
    </span>
  );
}
