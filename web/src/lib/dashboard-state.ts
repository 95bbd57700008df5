/**
 * The dashboard's state shape and the pure rules that apply one server message to it (everything
 * but snapshots, which also feed the chart buffers: see DashboardStore). Every collection is
 * bounded (seed pitfall 4).
 */
import {
  type ApprovalDto,
  type AuditEntryDto,
  type DataHealth,
  type EventDto,
  type FreezeState,
  type GuestDto,
  type NodeDto,
  type ServerMessage,
  type Settings,
  type SnapshotDto,
  type StateDto,
  type TaskDto,
} from '../../../src/protocol/index.ts';

export const MAX_EVENTS = 200;
export const MAX_TASKS = 50;
export const MAX_APPROVALS = 100;
export const MAX_AUDIT = 50;

/** Last data seen from a node while it was online, with the server time it was read. */
export interface LastKnownNode {
  readonly node: NodeDto;
  readonly takenAt: number;
}

/**
 * Last data seen from a guest while its node was online. A guest on an offline node is shown with
 * these figures, labelled with their age, never with whatever the current snapshot says.
 */
export interface LastKnownGuest {
  readonly guest: GuestDto;
  readonly takenAt: number;
}

/** Guests whose last-known figures are kept (oldest dropped first). */
export const MAX_LAST_KNOWN_GUESTS = 2_000;

export interface DashboardState {
  readonly snapshot: SnapshotDto | null;
  readonly data: DataHealth | undefined;
  readonly freeze: FreezeState | undefined;
  readonly settings: Settings | undefined;
  readonly user: StateDto['user'] | undefined;
  /** The server's AI status when it reports one (StateDto.aiStatus). */
  readonly aiStatus?: StateDto['aiStatus'] | undefined;
  /** Where Jarvis runs (StateDto.self), for the protected-chain view. */
  readonly self?: StateDto['self'] | undefined;
  readonly lastKnownNodes: ReadonlyMap<string, LastKnownNode>;
  readonly lastKnownGuests: ReadonlyMap<number, LastKnownGuest>;
  /** Newest first. */
  readonly events: readonly EventDto[];
  readonly approvals: ReadonlyMap<string, ApprovalDto>;
  readonly tasks: ReadonlyMap<string, TaskDto>;
  /** audit-append rows received live, newest first. */
  readonly audit: readonly AuditEntryDto[];
  /** Server time (ms) of the last frame or state fetch: any sign of life from the server. */
  readonly lastServerTs: number | undefined;
}

export const INITIAL_STATE: DashboardState = {
  snapshot: null,
  data: undefined,
  freeze: undefined,
  settings: undefined,
  user: undefined,
  lastKnownNodes: new Map(),
  lastKnownGuests: new Map(),
  events: [],
  approvals: new Map(),
  tasks: new Map(),
  audit: [],
  lastServerTs: undefined,
};

/** Keeps the newest `max` entries of a Map (insertion order = age). */
export function capMap<K, V>(map: Map<K, V>, max: number): Map<K, V> {
  while (map.size > max) map.delete(map.keys().next().value as K);
  return map;
}

/**
 * Inserts or moves `approval` to the newest position, keeping at most MAX_APPROVALS. A resolved
 * ticket never goes back to pending: an HTTP answer that arrives after the WS approval-resolve
 * must not resurrect it.
 */
export function withApproval(approvals: ReadonlyMap<string, ApprovalDto>, approval: ApprovalDto): Map<string, ApprovalDto> {
  const known = approvals.get(approval.id);
  if (known && known.status !== 'pending' && approval.status === 'pending') return new Map(approvals);
  const next = new Map(approvals);
  next.delete(approval.id);
  next.set(approval.id, approval);
  return capMap(next, MAX_APPROVALS);
}

/**
 * Inserts or replaces `task`, keeping at most MAX_TASKS. A finished task never goes back to
 * running: the HTTP answer of an action (task running) can arrive after the WS task-end.
 */
export function withTask(tasks: ReadonlyMap<string, TaskDto>, task: TaskDto): Map<string, TaskDto> {
  if (tasks.get(task.upid)?.status === 'stopped' && task.status === 'running') return new Map(tasks);
  return capMap(new Map(tasks).set(task.upid, task), MAX_TASKS);
}

/**
 * The task list after a full state: the server's recent tasks (they survive a reload), merged over
 * what this client already knew (a finished task never goes back to running).
 */
export function tasksFromState(known: ReadonlyMap<string, TaskDto>, server: readonly TaskDto[] | undefined): ReadonlyMap<string, TaskDto> {
  if (!server) return known;
  let tasks: ReadonlyMap<string, TaskDto> = known;
  for (const task of [...server].sort((a, b) => a.startedAt - b.startedAt)) tasks = withTask(tasks, task);
  return tasks;
}

/**
 * Applies one non-snapshot server message. Pure: returns a new state, or `state` itself when the
 * message changes nothing here (`delta` is the store's job: it also feeds the charts).
 */
export function applyServerMessage(state: DashboardState, message: ServerMessage): DashboardState {
  switch (message.type) {
    case 'event':
      if (state.events.some((event) => event.id === message.payload.id)) return state;
      return { ...state, events: [message.payload, ...state.events].slice(0, MAX_EVENTS) };
    case 'health-change':
      return { ...state, data: message.payload };
    case 'freeze-change':
      return { ...state, freeze: message.payload };
    case 'settings-change':
      return { ...state, settings: message.payload };
    case 'approval-request':
    case 'approval-resolve':
      return { ...state, approvals: withApproval(state.approvals, message.payload) };
    case 'task-start':
    case 'task-delta':
    case 'task-end':
      return { ...state, tasks: withTask(state.tasks, message.payload) };
    case 'audit-append':
      return { ...state, audit: [message.payload, ...state.audit].slice(0, MAX_AUDIT) };
    default:
      return state;
  }
}
