/**
 * Owns one WebSocket connection at a time and everything around it (seed pitfall 4 and 10):
 * a single socket; reconnect with exponential backoff + jitter, reset on success; a full HTTP
 * refresh on every (re)connect and on a seq gap; incoming messages buffered and delivered in
 * batches at most every `flushMs`; a bounded buffer; an idle watchdog for half-open sockets.
 * Framework-free so that the React hook, the soak bench and tests share it.
 */
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { connectionStatus, type ConnectionStatus } from './connection-status.ts';
import { SeqTracker } from './seq-tracker.ts';

/** The envelope fields the controller needs; the rest is the caller's business. */
export interface Sequenced {
  readonly type: string;
  readonly seq: number;
  readonly ts: number;
}

/** The subset of the DOM WebSocket the controller uses (a fake one in tests). */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(code?: number, reason?: string): void;
}

export interface SocketControllerOptions<M extends Sequenced> {
  readonly url: string;
  /** Validates one raw frame; undefined drops it. */
  readonly parse: (data: unknown) => M | undefined;
  /** Messages that replace the whole state (their seq becomes the baseline). */
  readonly isSnapshot: (message: M) => boolean;
  /** Receives applied messages in order, at most once per `flushMs`. */
  readonly onBatch: (messages: readonly M[]) => void;
  /** Full HTTP refresh (GET /api/state); resolves the seq it reflects, undefined on failure. */
  readonly refresh: () => Promise<number | undefined>;
  readonly onStatus: (status: ConnectionStatus) => void;
  /** Called for every valid message with its server timestamp and local receive time. */
  readonly onServerTime?: (serverTs: number, receivedAt: number) => void;
  /**
   * Called when an attempt ends without the socket ever opening. Browsers hide the HTTP status of
   * a refused upgrade, so the caller probes over HTTP (an expired session then shows the login page).
   */
  readonly onConnectFailed?: () => void;
  /**
   * The server's reason when it closed the socket with one (e.g. 1013 "try again later: too many
   * clients (max 20)"), so the UI can say why it is not live; undefined again once a frame arrives.
   */
  readonly onCloseReason?: (reason: string | undefined) => void;
  readonly createSocket?: (url: string) => SocketLike;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly flushMs?: number;
  /** Buffered messages above which the buffer is dropped and state refetched instead. */
  readonly maxBuffered?: number;
  /** Reconnect when an open socket has been silent this long (half-open TCP); 0 disables. */
  readonly idleTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
}

/** See the file comment. Call start() once and stop() on teardown; both are idempotent. */
export class SocketController<M extends Sequenced> {
  private socket: SocketLike | undefined;
  private open = false;
  private dropped = false;
  private failed = 0;
  /** Reconnect attempts since the last working connection (one that delivered a valid frame). */
  private attempt = 0;
  private stopped = true;
  private refreshing = false;
  /** A refresh was asked because frames were lost (gap, overflow): its failure must not be ignored. */
  private resyncNeeded = false;
  private buffer: M[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = 0;
  private readonly tracker = new SeqTracker();
  private status: ConnectionStatus | undefined;

  constructor(private readonly options: SocketControllerOptions<M>) {}

  /** Opens the first connection. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Closes the socket and cancels every timer; nothing fires afterwards. */
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.detach()?.close(1000, 'client closing');
    this.open = false;
    this.buffer = [];
  }

  /** Controlled reconnect (heap guard, user action): drops buffered messages and reconnects now. */
  reconnectNow(): void {
    if (this.stopped) return;
    this.clearTimers();
    this.buffer = [];
    this.detach()?.close(4000, 'client reset');
    this.open = false;
    this.failed = 0;
    this.attempt = 0;
    this.connect();
  }

  /** Number of messages waiting for the next flush (for the soak bench). */
  get buffered(): number {
    return this.buffer.length;
  }

  private connect(): void {
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    let socket: SocketLike;
    try {
      socket = create(this.options.url);
    } catch {
      this.onClosed();
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.onOpened();
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      const { code, reason } = (event ?? {}) as { code?: unknown; reason?: unknown };
      if (typeof reason === 'string' && reason !== '') this.setCloseReason(typeof code === 'number' ? `${reason} (${code})` : reason);
      this.onClosed();
    };
    socket.onerror = () => undefined;
    socket.onmessage = (event) => {
      if (this.socket === socket) this.onMessage(event.data);
    };
    this.emitStatus();
  }

  private onOpened(): void {
    this.open = true;
    this.failed = 0;
    this.resyncNeeded = false; // the server's first frame on a new socket is a snapshot
    this.tracker.reset();
    this.emitStatus();
    this.armIdle();
    void this.runRefresh();
  }

  private onClosed(): void {
    this.detach();
    const neverOpened = !this.open;
    if (this.open) this.failed = 0;
    else this.failed += 1;
    this.open = false;
    this.dropped = true;
    clearTimeout(this.idleTimer);
    this.emitStatus();
    if (this.stopped) return;
    if (neverOpened) this.options.onConnectFailed?.();
    const random = this.options.random ?? Math.random;
    // 1 s, 2 s, 4 s ... 30 s (+ jitter). Reset only by a connection that delivered a frame: a server
    // that accepts and at once closes (1013 too many clients, shutting down) must not be hammered.
    const delay = backoffDelay(this.attempt, random(), this.options.backoff ?? DEFAULT_BACKOFF);
    this.attempt += 1;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private onMessage(data: unknown): void {
    const message = this.options.parse(data);
    if (!message) return;
    this.attempt = 0; // a working connection: the next drop starts the backoff again at 1 s
    this.setCloseReason(undefined);
    this.options.onServerTime?.(message.ts, (this.options.now ?? Date.now)());
    this.armIdle();
    if (this.buffer.length >= (this.options.maxBuffered ?? 20_000)) {
      this.buffer = [];
      this.tracker.reset();
      this.resyncNeeded = true;
      void this.runRefresh();
    }
    this.buffer.push(message);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined || this.refreshing) return;
    const now = (this.options.now ?? Date.now)();
    const wait = Math.max(0, this.lastFlush + (this.options.flushMs ?? 100) - now);
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.refreshing || this.stopped) return;
    this.lastFlush = (this.options.now ?? Date.now)();
    const pending = this.buffer;
    this.buffer = [];
    const applied: M[] = [];
    for (const message of pending) {
      if (this.options.isSnapshot(message)) {
        this.tracker.baseline(message.seq);
        applied.push(message);
        continue;
      }
      const verdict = this.tracker.accept(message.seq);
      if (verdict === 'gap') {
        if (applied.length > 0) this.options.onBatch(applied);
        this.tracker.reset();
        this.resyncNeeded = true;
        void this.runRefresh();
        return;
      }
      if (verdict !== 'duplicate') applied.push(message);
    }
    if (applied.length > 0) this.options.onBatch(applied);
  }

  private async runRefresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    let seq: number | undefined;
    try {
      seq = await this.options.refresh();
    } catch {
      seq = undefined;
    }
    this.refreshing = false;
    if (this.stopped) return;
    if (seq !== undefined) {
      this.tracker.baseline(seq);
      this.resyncNeeded = false;
    } else if (this.resyncNeeded && this.open && !this.buffer.some((message) => this.options.isSnapshot(message))) {
      // Frames were lost and the state could not be refetched: applying later deltas would show
      // a state that never existed. Reconnect instead (the server's first frame is a snapshot).
      this.buffer = [];
      this.detach()?.close(4000, 'resync failed');
      this.onClosed();
      return;
    }
    if (this.buffer.length > 0) this.scheduleFlush();
  }

  private armIdle(): void {
    const limit = this.options.idleTimeoutMs ?? 0;
    if (limit <= 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (!this.stopped && this.open) this.reconnectNow();
    }, limit);
  }

  private detach(): SocketLike | undefined {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onopen = null;
      socket.onclose = null;
      socket.onerror = null;
      socket.onmessage = null;
    }
    return socket;
  }

  private clearTimers(): void {
    clearTimeout(this.flushTimer);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.idleTimer);
    this.flushTimer = undefined;
    this.reconnectTimer = undefined;
    this.idleTimer = undefined;
  }

  private closeReason: string | undefined;

  private setCloseReason(reason: string | undefined): void {
    if (reason === this.closeReason) return;
    this.closeReason = reason;
    this.options.onCloseReason?.(reason);
  }

  private emitStatus(): void {
    const status = connectionStatus(this.open, this.failed, this.dropped);
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}
