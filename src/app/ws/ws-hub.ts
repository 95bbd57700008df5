import type { WebSocket } from 'ws';
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { WS_CLOSE, type ServerMessage, type StateDto } from '../../protocol/index.ts';
import type { Principal } from '../auth/roles.ts';
import type { JarvisMetrics } from '../http/jarvis-metrics.ts';
import { DEFAULT_WS_HUB_OPTIONS, type WsHubOptions } from './ws-hub-options.ts';

export { DEFAULT_WS_HUB_OPTIONS, type WsHubOptions } from './ws-hub-options.ts';

/** Frames kept for a client whose snapshot is still being built. */
const MAX_PENDING_FRAMES = 100;

export interface WsHubDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: JarvisMetrics | undefined;
  /** The full state sent first to each new client (same builder as GET /api/state). */
  readonly stateFor: (principal: Principal) => Promise<StateDto>;
  /** The same state already serialised (snapshot JSON shared across clients); preferred when given. */
  readonly stateJsonFor?: ((principal: Principal) => Promise<{ seq: number; json: string }>) | undefined;
}

interface Client {
  readonly principal: Principal;
  /** Frames broadcast while the snapshot was being built; sent right after it. Undefined once ready. */
  pending: string[] | undefined;
  readonly stillValid: () => boolean;
  pongTimer: NodeJS.Timeout | undefined;
  readonly onPong: () => void;
  readonly onClose: () => void;
  readonly onError: (error: Error) => void;
  readonly onMessage: () => void;
}

/**
 * The dashboard's WebSocket hub. Every frame is `{type, seq, ts, payload}` (src/protocol/ws-messages.ts);
 * published messages are batched (one frame per `batchIntervalMs` at most) and broadcast to all
 * clients. Every reference a client holds (map entry, pong timer, listeners) is released on every
 * close path: close, error, terminate, heartbeat timeout, slow consumer, credential expiry, hub close.
 */
export class WsHub {
  private readonly clients = new Map<WebSocket, Client>();
  private readonly options: WsHubOptions;
  private queue: ServerMessage[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushImmediate: NodeJS.Immediate | undefined;
  /** Server time of the last flush: a frame after a quiet period leaves at once, only bursts are batched. */
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private pingTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** True when a frame went out since the last heartbeat tick (no wall clock involved). */
  private sentSinceTick = false;
  private seqCounter = 0;
  private closed = false;

  constructor(
    private readonly deps: WsHubDeps,
    options: Partial<WsHubOptions> = {},
  ) {
    this.options = { ...DEFAULT_WS_HUB_OPTIONS, ...options };
  }

  /** Number of the last broadcast frame (GET /api/state reports it). */
  get seq(): number {
    return this.seqCounter;
  }

  /** Connected clients. */
  get size(): number {
    return this.clients.size;
  }

  /** Timers currently held by the hub (for leak tests): flush, ping, heartbeat, pong timers. */
  get timerCount(): number {
    let count = [this.flushTimer, this.flushImmediate, this.pingTimer, this.heartbeatTimer].filter((timer) => timer !== undefined).length;
    for (const client of this.clients.values()) if (client.pongTimer) count += 1;
    return count;
  }

  /** Takes an authenticated socket: refuses it past `maxClients`, else sends the snapshot first. */
  attach(socket: WebSocket, principal: Principal, stillValid: () => boolean = () => true): void {
    if (this.closed) {
      socket.on('error', ignoreError); // a reset during the close handshake must not crash the process
      socket.close(WS_CLOSE.goingAway, 'server shutting down');
      return;
    }
    if (this.clients.size >= this.options.maxClients) {
      this.deps.metrics?.wsRefused.inc({ reason: 'too-many-clients' });
      socket.on('error', ignoreError);
      socket.close(WS_CLOSE.tryAgainLater, `try again later: too many clients (max ${this.options.maxClients})`);
      return;
    }
    const client: Client = {
      principal,
      pending: [],
      stillValid,
      pongTimer: undefined,
      onPong: () => {
        if (client.pongTimer) clearTimeout(client.pongTimer);
        client.pongTimer = undefined;
      },
      onClose: () => this.release(socket),
      onError: (error) => {
        this.deps.logger.debug({ error: error.message, user: principal.name }, 'websocket error');
        this.drop(socket);
      },
      // The protocol is server -> client; client messages are ignored (size-capped by the server).
      onMessage: () => undefined,
    };
    socket.on('pong', client.onPong);
    socket.on('close', client.onClose);
    socket.on('error', client.onError);
    socket.on('message', client.onMessage);
    this.clients.set(socket, client);
    this.deps.metrics?.wsConnections.set(this.clients.size);
    this.startTimers();
    void this.sendSnapshot(socket, client);
  }

  private async sendSnapshot(socket: WebSocket, client: Client): Promise<void> {
    let text: string;
    try {
      if (this.deps.stateJsonFor) {
        const state = await this.deps.stateJsonFor(client.principal);
        text = `{"type":"snapshot","seq":${state.seq},"ts":${this.deps.clock.now()},"payload":${state.json}}`;
      } else {
        const state = await this.deps.stateFor(client.principal);
        text = JSON.stringify({ type: 'snapshot', seq: state.seq, ts: this.deps.clock.now(), payload: state });
      }
    } catch (error) {
      this.deps.logger.error({ error: (error as Error).message }, 'websocket snapshot failed');
      this.drop(socket);
      return;
    }
    if (this.clients.get(socket) !== client) return; // closed meanwhile
    this.send(socket, text, 'snapshot');
    const pending = client.pending ?? [];
    client.pending = undefined;
    for (const frame of pending) this.send(socket, frame, 'buffered');
  }

  /**
   * Queues a message for every client. After a quiet period (no frame for `batchIntervalMs`) it
   * leaves at once (messages published in the same event-loop turn still share one frame); within
   * a burst, frames leave at most once per `batchIntervalMs`.
   */
  publish(message: ServerMessage): void {
    if (this.closed) return;
    this.queue.push(message);
    if (this.flushTimer || this.flushImmediate) return;
    const sinceLast = this.deps.clock.now() - this.lastFlushAt;
    if (sinceLast >= this.options.batchIntervalMs) this.flushImmediate = setImmediate(() => this.flush());
    else this.flushTimer = setTimeout(() => this.flush(), this.options.batchIntervalMs - sinceLast);
  }

  /** Sends the queued messages now as one frame (one message as itself, several as a `batch`). */
  flush(): void {
    this.cancelFlush();
    if (this.queue.length === 0) return;
    this.lastFlushAt = this.deps.clock.now();
    const messages = this.queue;
    this.queue = [];
    const seq = ++this.seqCounter;
    const ts = this.deps.clock.now();
    if (messages.some((message) => message.type !== 'heartbeat')) this.sentSinceTick = true;
    if (this.clients.size === 0) return;
    const frame = messages.length === 1 ? { ...messages[0]!, seq, ts } : { type: 'batch' as const, seq, ts, payload: { messages } };
    const text = JSON.stringify(frame);
    for (const [socket, client] of this.clients) {
      if (client.pending) {
        client.pending.push(text);
        if (client.pending.length > MAX_PENDING_FRAMES) this.drop(socket);
      } else this.send(socket, text, frame.type);
    }
  }

  /** Closes every client (1001) and releases every timer. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue = [];
    this.cancelFlush();
    const sockets = [...this.clients.keys()];
    for (const socket of sockets) {
      socket.close(WS_CLOSE.goingAway, 'server shutting down');
      this.release(socket);
      socket.terminate();
    }
    this.stopTimers();
  }

  private cancelFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.flushImmediate) clearImmediate(this.flushImmediate);
    this.flushTimer = undefined;
    this.flushImmediate = undefined;
  }

  private send(socket: WebSocket, text: string, type: string): void {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.deps.logger.warn({ bufferedAmount: socket.bufferedAmount }, 'websocket client too slow; terminating');
      this.drop(socket);
      return;
    }
    socket.send(text);
    this.deps.metrics?.wsMessagesSent.inc({ type });
  }

  /** Terminates without a close handshake and releases at once (does not wait for 'close'). */
  private drop(socket: WebSocket): void {
    this.release(socket);
    socket.terminate();
  }

  private release(socket: WebSocket): void {
    const client = this.clients.get(socket);
    if (!client) return;
    if (client.pongTimer) clearTimeout(client.pongTimer);
    client.pongTimer = undefined;
    socket.off('pong', client.onPong);
    socket.off('close', client.onClose);
    socket.off('message', client.onMessage);
    // Keep a no-op error listener: an 'error' after release must not crash the process.
    socket.off('error', client.onError);
    socket.on('error', ignoreError);
    this.clients.delete(socket);
    this.deps.metrics?.wsConnections.set(this.clients.size);
    if (this.clients.size === 0) this.stopTimers();
  }

  private startTimers(): void {
    this.pingTimer ??= setInterval(() => this.pingAll(), this.options.pingIntervalMs);
    this.heartbeatTimer ??= setInterval(() => {
      if (!this.sentSinceTick) this.publish({ type: 'heartbeat', payload: {} });
      this.sentSinceTick = false;
    }, this.options.heartbeatIdleMs);
    this.pingTimer.unref();
    this.heartbeatTimer.unref();
  }

  private stopTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.pingTimer = undefined;
    this.heartbeatTimer = undefined;
  }

  /** One ping round: drops clients whose credential ended, pings the rest with a pong deadline. */
  pingAll(): void {
    for (const [socket, client] of [...this.clients]) {
      if (!client.stillValid()) {
        socket.close(WS_CLOSE.unauthorized, 'session expired or revoked: sign in again');
        this.release(socket);
        continue;
      }
      if (client.pongTimer) continue; // still waiting for the previous pong
      client.pongTimer = setTimeout(() => {
        this.deps.logger.info({ user: client.principal.name }, 'websocket client missed its pong; terminating');
        this.drop(socket);
      }, this.options.pongTimeoutMs);
      client.pongTimer.unref();
      try {
        socket.ping();
      } catch {
        this.drop(socket);
      }
    }
  }
}

function ignoreError(): void {}
