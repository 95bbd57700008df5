import { usageLevel } from '../lib/guest-view.ts';

/**
 * A ring gauge (SVG) for a 0..1 load: the arc length is the value, the colour its level, the
 * number is text in the middle (monospace readout). Unknown shows "—" and an empty ring.
 */
export function RingGauge({ value, label, size = 44 }: { value: number | undefined; label: string; size?: number }) {
  const radius = size / 2 - 4;
  const circumference = 2 * Math.PI * radius;
  const known = value !== undefined && Number.isFinite(value);
  const level = usageLevel(value);
  return (
    <svg
      className={`ring ring-${level}`}
      width={size}
      height={size}
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={`${label} ${known ? `${Math.round(value * 100)}%` : 'unknown'}`}
    >
      <circle className="ring-track" cx={size / 2} cy={size / 2} r={radius} fill="none" strokeWidth={4} />
      {known ? (
        <circle
          className="ring-value"
          cx={size / 2}
          cy={size / 2}
          r={radius}
          fill="none"
          strokeWidth={4}
          strokeDasharray={`${circumference * Math.min(1, value)} ${circumference}`}
          transform={`rotate(-90 ${size / 2} ${size / 2})`}
        />
      ) : null}
      <text x="50%" y="54%" textAnchor="middle" dominantBaseline="middle" className="ring-text">
        {known ? Math.round(value * 100) : '—'}
      </text>
    </svg>
  );
}
