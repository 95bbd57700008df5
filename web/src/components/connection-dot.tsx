import type { ConnectionStatus } from '../lib/connection-status.ts';

const LABELS: Record<ConnectionStatus, string> = { connected: 'Live', reconnecting: 'Reconnecting', disconnected: 'Disconnected' };
const SHAPES: Record<ConnectionStatus, string> = { connected: '●', reconnecting: '◐', disconnected: '■' };

/** Connection state of the socket only (never the data): colour + shape + word. */
export function ConnectionDot({ status }: { status: ConnectionStatus }) {
  return (
    <span className={`connection connection-${status}`} data-testid="connection-dot" data-status={status} role="status" aria-live="polite">
      <span className="connection-shape" aria-hidden="true">{SHAPES[status]}</span> {LABELS[status]}
    </span>
  );
}
