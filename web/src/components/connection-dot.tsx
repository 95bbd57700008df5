import type { ConnectionStatus } from '../lib/connection-status.ts';
import type { FreshnessLevel } from '../lib/freshness.ts';

const LABELS: Record<ConnectionStatus, string> = { connected: 'Live', reconnecting: 'Reconnecting', disconnected: 'Disconnected' };
const SHAPES: Record<ConnectionStatus, string> = { connected: '●', reconnecting: '◐', disconnected: '■' };

/**
 * The sticky health badge: the socket's state (data-status) and, while the socket is open, whether
 * the data is fresh (data-level). "Live" in green only when both hold; an open socket over stale
 * data reads "Connected — data stale" in amber. Refused/closed reads red with "retry now".
 */
export function ConnectionDot({ status, dataLevel = 'fresh', onRetry }: { status: ConnectionStatus; dataLevel?: FreshnessLevel; onRetry?: () => void }) {
  const stale = status === 'connected' && dataLevel !== 'fresh';
  const label = stale ? `Connected — data ${dataLevel === 'stale' ? 'stale' : 'may be stale'}` : LABELS[status];
  return (
    <span className="health-badge">
      <span
        className={`connection connection-${stale ? 'stale' : status}`}
        data-testid="connection-dot"
        data-status={status}
        data-level={dataLevel}
        role="status"
        aria-live="polite"
      >
        <span className="connection-shape" aria-hidden="true">
          {stale ? '◐' : SHAPES[status]}
        </span>{' '}
        {label}
      </span>
      {status !== 'connected' && onRetry ? (
        <button type="button" className="retry" onClick={onRetry} data-testid="retry-now">
          Retry now
        </button>
      ) : null}
    </span>
  );
}
