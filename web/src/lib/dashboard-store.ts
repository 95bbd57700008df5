/**
 * The dashboard's client-side state, outside React: it applies WebSocket frames and HTTP state
 * (GET /api/state) and notifies subscribers once per applied batch (React reads it through
 * useSyncExternalStore). Every collection is bounded (seed pitfall 4).
 */
import {
  applySnapshotDelta,
  unpackFrame,
  type ApprovalDto,
  type AuditEntryDto,
  type DataHealth,
  type EventDto,
  type FreezeState,
  type NodeDto,
  type ServerFrame,
  type ServerMessage,
  type Settings,
  type SnapshotDto,
  type StateDto,
  type TaskDto,
} from '../../../src/protocol/index.ts';
import { ClockOffset } from './freshness.ts';
import { fraction, MetricStore } from './metric-store.ts';

export const MAX_EVENTS = 200;
export const MAX_TASKS = 50;
export const MAX_APPROVALS = 100;
export const MAX_AUDIT = 50;

/** Last data seen from a node while it was online, with the server time it was read. */
export interface LastKnownNode {
  readonly node: NodeDto;
  readonly takenAt: number;
}

export interface DashboardState {
  readonly snapshot: SnapshotDto | null;
  readonly data: DataHealth | undefined;
  readonly freeze: FreezeState | undefined;
  readonly settings: Settings | undefined;
  readonly user: StateDto['user'] | undefined;
  readonly lastKnownNodes: ReadonlyMap<string, LastKnownNode>;
  /** Newest first. */
  readonly events: readonly EventDto[];
  readonly approvals: ReadonlyMap<string, ApprovalDto>;
  readonly tasks: ReadonlyMap<string, TaskDto>;
  /** audit-append rows received live, newest first. */
  readonly audit: readonly AuditEntryDto[];
  /** Server time (ms) of the last frame or state fetch: any sign of life from the server. */
  readonly lastServerTs: number | undefined;
}

const INITIAL: DashboardState = {
  snapshot: null,
  data: undefined,
  freeze: undefined,
  settings: undefined,
  user: undefined,
  lastKnownNodes: new Map(),
  events: [],
  approvals: new Map(),
  tasks: new Map(),
  audit: [],
  lastServerTs: undefined,
};

/** Keeps the newest `max` entries of a Map (insertion order = age). */
function capMap<K, V>(map: Map<K, V>, max: number): Map<K, V> {
  while (map.size > max) map.delete(map.keys().next().value as K);
  return map;
}

export class DashboardStore {
  private state: DashboardState = INITIAL;
  private readonly listeners = new Set<() => void>();
  readonly metrics = new MetricStore();
  readonly clock = new ClockOffset();

  private readonly historyRequested = new Set<string>();

  /** True the first time it is called for `seriesKey` (charts fetch history once per series). */
  markHistoryRequested(seriesKey: string): boolean {
    if (this.historyRequested.has(seriesKey) || this.historyRequested.size >= 1_000) return false;
    this.historyRequested.add(seriesKey);
    return true;
  }

  /** Forgets a request that was abandoned before its answer arrived. */
  unmarkHistoryRequested(seriesKey: string): void {
    this.historyRequested.delete(seriesKey);
  }

  /** Current state (a new object after every change). */
  getState = (): DashboardState => this.state;

  /** useSyncExternalStore-compatible subscription; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Replaces everything with a full state (GET /api/state or the WS `snapshot` frame). */
  applyState(state: StateDto, receivedAt: number): void {
    this.clock.add(state.serverTime, receivedAt);
    this.state = {
      ...this.state,
      data: state.data,
      freeze: state.freeze,
      settings: state.settings,
      user: state.user,
      lastServerTs: state.serverTime,
    };
    this.setSnapshot(state.snapshot);
    this.emit();
  }

  /** Applies a batch of frames delivered by the socket controller, then notifies once. */
  applyFrames(frames: readonly ServerFrame[]): void {
    for (const frame of frames) {
      this.state = { ...this.state, lastServerTs: Math.max(frame.ts, this.state.lastServerTs ?? 0) };
      if (frame.type === 'snapshot') {
        this.state = { ...this.state, data: frame.payload.data, freeze: frame.payload.freeze, settings: frame.payload.settings, user: frame.payload.user };
        this.setSnapshot(frame.payload.snapshot);
        continue;
      }
      for (const message of unpackFrame(frame)) this.applyMessage(message);
    }
    this.emit();
  }

  /** Merges approvals fetched over HTTP (GET /api/approvals). */
  setApprovals(approvals: readonly ApprovalDto[]): void {
    const next = new Map(approvals.map((approval) => [approval.id, approval]));
    this.state = { ...this.state, approvals: capMap(next, MAX_APPROVALS) };
    this.emit();
  }

  /** Merges events fetched over HTTP (GET /api/events), de-duplicated by id. */
  mergeEvents(events: readonly EventDto[]): void {
    const byId = new Map(this.state.events.map((event) => [event.id, event]));
    for (const event of events) byId.set(event.id, event);
    const sorted = [...byId.values()].sort((a, b) => b.id - a.id).slice(0, MAX_EVENTS);
    this.state = { ...this.state, events: sorted };
    this.emit();
  }

  /** Applies the answer of POST /api/freeze at once (the WS freeze-change follows). */
  setFreeze(freeze: FreezeState): void {
    this.state = { ...this.state, freeze };
    this.emit();
  }

  /** Applies the answer of PUT /api/settings at once (the WS settings-change follows). */
  setSettings(settings: Settings): void {
    this.state = { ...this.state, settings };
    this.emit();
  }

  /** Records an approval this client caused (the POST /api/actions answer); the WS sends it too. */
  upsertApproval(approval: ApprovalDto): void {
    const approvals = new Map(this.state.approvals);
    approvals.delete(approval.id);
    approvals.set(approval.id, approval);
    this.state = { ...this.state, approvals: capMap(approvals, MAX_APPROVALS) };
    this.emit();
  }

  /** Records a task started from this client (the POST /api/actions answer). */
  upsertTask(task: TaskDto): void {
    this.state = { ...this.state, tasks: capMap(new Map(this.state.tasks).set(task.upid, task), MAX_TASKS) };
    this.emit();
  }

  /** Drops all buffers (heap guard): charts, events, tasks, live audit rows, last-known nodes. */
  reset(): void {
    this.metrics.clear();
    this.historyRequested.clear();
    this.clock.reset();
    this.state = INITIAL;
    this.emit();
  }

  private applyMessage(message: ServerMessage): void {
    const state = this.state;
    switch (message.type) {
      case 'delta':
        if (state.snapshot) this.setSnapshot(applySnapshotDelta(state.snapshot, message.payload));
        return;
      case 'event':
        if (state.events.some((event) => event.id === message.payload.id)) return;
        this.state = { ...state, events: [message.payload, ...state.events].slice(0, MAX_EVENTS) };
        return;
      case 'health-change':
        this.state = { ...state, data: message.payload };
        return;
      case 'freeze-change':
        this.state = { ...state, freeze: message.payload };
        return;
      case 'settings-change':
        this.state = { ...state, settings: message.payload };
        return;
      case 'approval-request':
      case 'approval-resolve': {
        const approvals = new Map(state.approvals);
        approvals.delete(message.payload.id);
        approvals.set(message.payload.id, message.payload);
        this.state = { ...state, approvals: capMap(approvals, MAX_APPROVALS) };
        return;
      }
      case 'task-start':
      case 'task-delta':
      case 'task-end':
        this.state = { ...state, tasks: capMap(new Map(state.tasks).set(message.payload.upid, message.payload), MAX_TASKS) };
        return;
      case 'audit-append':
        this.state = { ...state, audit: [message.payload, ...state.audit].slice(0, MAX_AUDIT) };
        return;
      default:
        return;
    }
  }

  private setSnapshot(snapshot: SnapshotDto | null): void {
    if (!snapshot) {
      this.state = { ...this.state, snapshot: null };
      return;
    }
    const lastKnown = new Map(this.state.lastKnownNodes);
    for (const node of snapshot.nodes) {
      if (node.status === 'online') lastKnown.set(node.name, { node, takenAt: snapshot.takenAt });
      this.metrics.push(`node:${node.name}`, snapshot.takenAt, node.status === 'online' ? node.cpu : undefined, node.status === 'online' ? fraction(node.mem, node.maxmem) : undefined);
    }
    for (const guest of snapshot.guests) {
      this.metrics.push(`guest:${guest.vmid}`, snapshot.takenAt, guest.cpu, fraction(guest.mem, guest.maxmem));
    }
    capMap(lastKnown, 64);
    this.state = { ...this.state, snapshot, lastKnownNodes: lastKnown };
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
