/** Tuning of the WebSocket hub (defaults = the seed's pitfall-4 prevention numbers). */
export interface WsHubOptions {
  /** Connected clients at most; the next one is closed with 1013. Default 20. */
  readonly maxClients: number;
  /** Ping every client this often (ms). Default 30 s. */
  readonly pingIntervalMs: number;
  /** Terminate a client that has not answered a ping within this (ms). Default 10 s. */
  readonly pongTimeoutMs: number;
  /** Messages are flushed at most this often (ms). Default 100. */
  readonly batchIntervalMs: number;
  /** Send a `heartbeat` when no frame went out for this long (ms). Default 10 s. */
  readonly heartbeatIdleMs: number;
  /** A client with more unsent bytes than this is a slow consumer and is terminated. Default 1 MiB. */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_WS_HUB_OPTIONS: WsHubOptions = {
  maxClients: 20,
  pingIntervalMs: 30_000,
  pongTimeoutMs: 10_000,
  batchIntervalMs: 100,
  heartbeatIdleMs: 10_000,
  maxBufferedBytes: 1024 * 1024,
};
