/**
 * The dashboard's client-side state, outside React: it applies WebSocket frames and HTTP state
 * (GET /api/state) and notifies subscribers once per applied batch (React reads it through
 * useSyncExternalStore). Snapshots also feed the chart ring buffers and the last-known values of
 * nodes that go offline. Every collection is bounded (seed pitfall 4).
 */
import {
  applySnapshotDelta,
  unpackFrame,
  type ApprovalDto,
  type EventDto,
  type FreezeState,
  type ServerFrame,
  type ServerMessage,
  type Settings,
  type SnapshotDto,
  type StateDto,
  type TaskDto,
} from '../../../src/protocol/index.ts';
import {
  applyServerMessage,
  capMap,
  INITIAL_STATE,
  MAX_APPROVALS,
  MAX_EVENTS,
  MAX_LAST_KNOWN_GUESTS,
  tasksFromState,
  withApproval,
  withTask,
  type DashboardState,
} from './dashboard-state.ts';
import { ClockOffset } from './freshness.ts';
import { fraction, MetricStore } from './metric-store.ts';

export { MAX_APPROVALS, MAX_AUDIT, MAX_EVENTS, MAX_TASKS, type DashboardState, type LastKnownGuest, type LastKnownNode } from './dashboard-state.ts';

export class DashboardStore {
  private state: DashboardState = INITIAL_STATE;
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

  private readonly taps = new Set<(message: ServerMessage) => void>();

  /** Every non-snapshot message as it arrives (components that keep their own state, e.g. alerts); returns the unsubscribe function. */
  onMessage = (listener: (message: ServerMessage) => void): (() => void) => {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  };

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
      aiStatus: state.aiStatus,
      self: state.self,
      lastServerTs: state.serverTime,
      tasks: tasksFromState(this.state.tasks, state.tasks),
    };
    if (state.tasks) this.mergeTasks(state.tasks);
    this.setSnapshot(state.snapshot);
    this.emit();
  }

  /** Applies a batch of frames delivered by the socket controller, then notifies once. */
  applyFrames(frames: readonly ServerFrame[]): void {
    for (const frame of frames) {
      this.state = { ...this.state, lastServerTs: Math.max(frame.ts, this.state.lastServerTs ?? 0) };
      if (frame.type === 'snapshot') {
        this.state = {
          ...this.state,
          data: frame.payload.data,
          freeze: frame.payload.freeze,
          settings: frame.payload.settings,
          user: frame.payload.user,
          aiStatus: frame.payload.aiStatus,
          self: frame.payload.self,
          tasks: tasksFromState(this.state.tasks, frame.payload.tasks),
        };
        this.setSnapshot(frame.payload.snapshot);
        continue;
      }
      for (const message of unpackFrame(frame)) {
        for (const tap of this.taps) tap(message);
        if (message.type === 'delta') {
          if (this.state.snapshot) this.setSnapshot(applySnapshotDelta(this.state.snapshot, message.payload));
        } else this.state = applyServerMessage(this.state, message);
      }
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
    this.state = { ...this.state, approvals: withApproval(this.state.approvals, approval) };
    this.emit();
  }

  /** Records a task started from this client (the POST /api/actions answer). */
  upsertTask(task: TaskDto): void {
    this.state = { ...this.state, tasks: withTask(this.state.tasks, task) };
    this.emit();
  }

  /** Merges server tasks (GET /api/state `tasks`), keyed by UPID, bounded like every collection. */
  private mergeTasks(tasks: readonly TaskDto[]): void {
    let map = this.state.tasks;
    for (const task of [...tasks].reverse()) map = withTask(map, task);
    this.state = { ...this.state, tasks: map };
  }

  /** Drops all buffers (heap guard): charts, events, tasks, live audit rows, last-known nodes. */
  reset(): void {
    this.metrics.clear();
    this.historyRequested.clear();
    this.clock.reset();
    this.state = INITIAL_STATE;
    this.emit();
  }

  private setSnapshot(snapshot: SnapshotDto | null): void {
    if (!snapshot) {
      this.state = { ...this.state, snapshot: null };
      return;
    }
    const lastKnown = new Map(this.state.lastKnownNodes);
    for (const node of snapshot.nodes) {
      if (node.status === 'online') lastKnown.set(node.name, { node, takenAt: snapshot.takenAt });
      this.metrics.push(
        `node:${node.name}`,
        snapshot.takenAt,
        node.status === 'online' ? node.cpu : undefined,
        node.status === 'online' ? fraction(node.mem, node.maxmem) : undefined,
      );
    }
    // A guest on a node that is not online is not live, whatever figures the snapshot carries:
    // its chart gets a gap and the table shows its last-known figures with their age.
    const online = new Set(snapshot.nodes.filter((node) => node.status === 'online').map((node) => node.name));
    const lastKnownGuests = new Map(this.state.lastKnownGuests);
    for (const guest of snapshot.guests) {
      const live = online.has(guest.node);
      if (live) {
        lastKnownGuests.delete(guest.vmid); // re-insert as newest
        lastKnownGuests.set(guest.vmid, { guest, takenAt: snapshot.takenAt });
      }
      this.metrics.push(`guest:${guest.vmid}`, snapshot.takenAt, live ? guest.cpu : undefined, live ? fraction(guest.mem, guest.maxmem) : undefined);
    }
    capMap(lastKnown, 64);
    capMap(lastKnownGuests, MAX_LAST_KNOWN_GUESTS);
    this.state = { ...this.state, snapshot, lastKnownNodes: lastKnown, lastKnownGuests };
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
