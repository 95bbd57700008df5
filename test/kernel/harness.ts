/** A guarded executor over in-memory SQLite stores, a fixed snapshot and a recording fake runner. */
import type { Action } from '../../src/core/domain/action.ts';
import type { ClusterSnapshot } from '../../src/core/domain/cluster.ts';
import type { Topology } from '../../src/core/domain/topology.ts';
import { ok, type JarvisError, type Result } from '../../src/core/errors.ts';
import type { AuditLog } from '../../src/core/ports/audit.ts';
import type { DomainEvent } from '../../src/core/ports/events.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { createEventBus } from '../../src/app/events/event-bus.ts';
import type { ActionOutcome, ActionRunner } from '../../src/app/actions/action-runner.ts';
import { createGuardedExecutor, type ExecutorDeps } from '../../src/app/actions/execute-action.ts';
import { InMemoryNodeLocks } from '../doubles/in-memory-node-locks.ts';
import { openDatabase } from '../../src/adapters/sqlite/open-database.ts';
import { SqliteAuditLog } from '../../src/adapters/sqlite/sqlite-audit-log.ts';
import { SqliteSettingsStore } from '../../src/adapters/sqlite/sqlite-settings-store.ts';
import { SqliteTicketStore } from '../../src/adapters/sqlite/sqlite-ticket-store.ts';
import { NOW, seedSnapshot, TOPOLOGY } from './fixtures.ts';

/** Records every call; by default succeeds at once. */
export class RecordingRunner implements ActionRunner {
  readonly calls: Action[] = [];
  behaviour: (action: Action, signal: AbortSignal) => Promise<Result<ActionOutcome, JarvisError>> = async (action) => ok({ summary: `${action.kind} ok` });
  onCall?: (action: Action) => void;
  async doRun(action: Action, signal: AbortSignal): Promise<Result<ActionOutcome, JarvisError>> {
    this.calls.push(action);
    this.onCall?.(action);
    return this.behaviour(action, signal);
  }
}

export interface Harness {
  executor: ReturnType<typeof createGuardedExecutor>;
  runner: RecordingRunner;
  audit: SqliteAuditLog;
  tickets: SqliteTicketStore;
  settings: SqliteSettingsStore;
  locks: InMemoryNodeLocks;
  clock: { now(): number; advance(ms: number): void };
  /** Messages of yellow (allow-notify) actions that ran: what a notifier subscribed to the bus sends. */
  notified: string[];
  /** Every domain event the executor published, in order. */
  events: DomainEvent[];
  /** The state database (tickets, settings), for tamper tests. */
  state: ReturnType<typeof openDatabase>;
  setSnapshot(snapshot: ClusterSnapshot): void;
}

/** `wrapRunner` lets a test put the recording runner behind a router (e.g. routeRunners). */
export function makeHarness(
  options: { topology?: Topology; audit?: AuditLog; actTimeoutMs?: number; wrapRunner?: (runner: RecordingRunner) => ActionRunner } = {},
): Harness {
  let time = NOW;
  let snapshot = seedSnapshot();
  let counter = 0;
  const audit = SqliteAuditLog.open(':memory:');
  if (!audit.ok) throw new Error(audit.error.message);
  const state = openDatabase(':memory:');
  const tickets = new SqliteTicketStore(state);
  const settings = new SqliteSettingsStore(state);
  const locks = new InMemoryNodeLocks();
  const runner = new RecordingRunner();
  const notified: string[] = [];
  const events: DomainEvent[] = [];
  const bus = createEventBus(silentLogger);
  const notifying = new Set<string>();
  bus.onAny((event) => events.push(event));
  bus.on('proposal.decided', (decided) => void (decided.verdict === 'allow-notify' ? notifying.add(decided.actionHash) : notifying.delete(decided.actionHash)));
  bus.on('action.finished', (finished) => void (finished.ok && notifying.has(finished.actionHash) && notified.push(finished.message)));
  const clock = {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
  };
  const deps: ExecutorDeps = {
    readSnapshot: async () => ok(snapshot),
    topology: options.topology ?? TOPOLOGY,
    locks,
    audit: options.audit ?? audit.value,
    tickets,
    settings,
    runner: options.wrapRunner ? options.wrapRunner(runner) : runner,
    clock,
    newId: () => `t${++counter}`,
    events: bus,
    actTimeoutMs: options.actTimeoutMs ?? 2_000,
  };
  return {
    executor: createGuardedExecutor(deps),
    runner,
    audit: audit.value,
    tickets,
    settings,
    locks,
    clock,
    notified,
    events,
    state,
    setSnapshot: (next) => {
      snapshot = next;
    },
  };
}
