/**
 * The connection dot's state, derived only from the socket (never from the data): green when open,
 * yellow while the first reconnect attempts run after a drop, red once they keep failing or
 * before any connection ever succeeded after failures.
 */
export type ConnectionStatus = 'connected' | 'reconnecting' | 'disconnected';

/** Failed attempts after which "reconnecting" becomes "disconnected". */
export const RECONNECTING_ATTEMPTS = 2;

/**
 * @param open whether the socket is open now.
 * @param failedAttempts consecutive attempts that ended without opening since the last success
 *   (0 right after a drop).
 * @param dropped whether the connection ended (a drop or the server went away); false while the
 *   very first attempt is still running.
 */
export function connectionStatus(open: boolean, failedAttempts: number, dropped: boolean): ConnectionStatus {
  if (open) return 'connected';
  if (!dropped && failedAttempts === 0) return 'reconnecting';
  return failedAttempts < RECONNECTING_ATTEMPTS ? 'reconnecting' : 'disconnected';
}
