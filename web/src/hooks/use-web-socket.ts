/**
 * The one hook that owns the dashboard's WebSocket (seed pitfall 4): a single SocketController
 * per mounted dashboard (held in a ref, so re-renders never open another socket), stopped on
 * unmount. Frames are validated with the shared schema, batched by the controller (at most one
 * React update per 100 ms) and applied to the store; every (re)connect and every seq gap triggers
 * a full GET /api/state.
 */
import { useEffect, useRef, useState } from 'react';
import { ServerFrameSchema, SessionDtoSchema, StateDtoSchema, type ServerFrame } from '../../../src/protocol/index.ts';
import { apiRequest, socketUrl } from '../lib/api.ts';
import type { ConnectionStatus } from '../lib/connection-status.ts';
import type { DashboardStore } from '../lib/dashboard-store.ts';
import { SocketController } from '../lib/socket-controller.ts';

export interface UseWebSocketResult {
  readonly status: ConnectionStatus;
  /** Why the server closed the socket, when it said so (e.g. too many clients); undefined when live. */
  readonly closeReason: string | undefined;
  /** Controlled reconnect: drops buffered frames and reconnects at once (heap guard). */
  readonly reconnect: () => void;
}

function parseFrame(data: unknown): ServerFrame | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const parsed = ServerFrameSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Full HTTP refresh: applies GET /api/state to the store and returns its seq (undefined on failure). */
export async function refreshState(store: DashboardStore): Promise<number | undefined> {
  const result = await apiRequest('/api/state', StateDtoSchema);
  if (!result.ok) return undefined;
  store.applyState(result.value, Date.now());
  return result.value.seq;
}

/**
 * @param store receives every frame and refresh.
 * @param url defaults to `/ws` on the page's origin.
 */
export function useWebSocket(store: DashboardStore, url?: string): UseWebSocketResult {
  const [status, setStatus] = useState<ConnectionStatus>('reconnecting');
  const [closeReason, setCloseReason] = useState<string | undefined>(undefined);
  const controller = useRef<SocketController<ServerFrame> | null>(null);

  useEffect(() => {
    const instance = new SocketController<ServerFrame>({
      url: url ?? socketUrl(window.location),
      parse: parseFrame,
      isSnapshot: (frame) => frame.type === 'snapshot',
      onBatch: (frames) => store.applyFrames(frames),
      refresh: () => refreshState(store),
      onStatus: setStatus,
      onCloseReason: setCloseReason,
      onServerTime: (serverTs, receivedAt) => store.clock.add(serverTs, receivedAt),
      // A 401 here reaches the app's unauthorized handler, which shows the login page.
      onConnectFailed: () => void apiRequest('/api/session', SessionDtoSchema),
      // The hub sends a heartbeat after 10 s without traffic; 35 s of silence on an "open" socket
      // means half-open TCP: reconnect (and refetch) instead of showing a frozen page as live.
      idleTimeoutMs: 35_000,
    });
    controller.current = instance;
    instance.start();
    return () => {
      instance.stop();
      if (controller.current === instance) controller.current = null;
    };
  }, [store, url]);

  return { status, closeReason, reconnect: () => controller.current?.reconnectNow() };
}
