import type { ClusterSnapshot } from '../../src/core/domain/cluster.ts';
import { err, jarvisError, ok, type Result, type JarvisError } from '../../src/core/errors.ts';
import type {
  ActionOutcome,
  ActionRequest,
  ApprovalDto,
  AuditEntryDto,
  AuditPage,
  AuditQueryDto,
  DataHealth,
  FreezeState,
  Settings,
} from '../../src/protocol/index.ts';
import { actorOf, type Principal } from '../../src/app/auth/roles.ts';
import type { ActionService, ApprovalsService, AuditQuery, FreezeSwitch, RuntimeSettings, StateReader } from '../../src/app/http/http-deps.ts';

/**
 * In-memory implementations of the HTTP layer's service interfaces, for tests only: production
 * wiring takes every port as required, and test/architecture/layers.test.ts fails if src/ imports test code.
 */

export class MemoryStateReader implements StateReader {
  private snapshot: ClusterSnapshot | null = null;
  private health: DataHealth = { fresh: false };
  set(snapshot: ClusterSnapshot | null, health: DataHealth = { fresh: true }): void {
    this.snapshot = snapshot;
    this.health = health;
  }
  current(): { snapshot: ClusterSnapshot | null; health: DataHealth } {
    return { snapshot: this.snapshot, health: this.health };
  }
}

/** The production events feed under its old name (tests). */
export { RecentEventLog as MemoryEventLog } from '../../src/app/events/recent-event-log.ts';

export class MemoryFreezeSwitch implements FreezeSwitch {
  private state: FreezeState = { frozen: false };
  constructor(
    private readonly clock: { now(): number },
    private readonly onChange?: (state: FreezeState) => void,
  ) {}
  async get(): Promise<Result<FreezeState, JarvisError>> {
    return ok(this.state);
  }
  async set(frozen: boolean, by: Parameters<FreezeSwitch['set']>[1], reason: string | undefined): Promise<Result<FreezeState, JarvisError>> {
    this.state = frozen ? { frozen, since: this.clock.now(), by: `${by.kind}:${by.name}`, ...(reason ? { reason } : {}) } : { frozen: false };
    this.onChange?.(this.state);
    return ok(this.state);
  }
}

export class MemoryRuntimeSettings implements RuntimeSettings {
  private settings: Settings = { aiEnabled: true };
  get(): Settings {
    return this.settings;
  }
  async update(patch: Partial<Settings>): Promise<Result<Settings, JarvisError>> {
    this.settings = { ...this.settings, ...patch };
    return ok(this.settings);
  }
}

/** Test double: approvals held in memory; approve marks it executed and reports a done outcome. */
export class MemoryApprovals implements ApprovalsService {
  readonly items = new Map<string, ApprovalDto>();
  readonly approvedBy: string[] = [];
  constructor(private readonly clock: { now(): number }) {}
  async list(status: 'pending' | 'all'): Promise<Result<ApprovalDto[], JarvisError>> {
    return ok([...this.items.values()].filter((item) => status === 'all' || item.status === 'pending'));
  }
  async approve(id: string, approver: Principal): Promise<Result<ActionOutcome, JarvisError>> {
    const item = this.items.get(id);
    if (!item || item.status !== 'pending') return err(jarvisError('TICKET_INVALID', `ticket ${id} is not pending`));
    this.items.set(id, { ...item, status: 'executed', resolvedBy: actorOf(approver), resolvedAt: this.clock.now() });
    this.approvedBy.push(actorOf(approver));
    return ok({ status: 'done', noOp: false, summary: `${item.action} ${item.target} done` });
  }
  async reject(id: string, by: Principal): Promise<Result<ApprovalDto, JarvisError>> {
    const item = this.items.get(id);
    if (!item || item.status !== 'pending') return err(jarvisError('TICKET_INVALID', `ticket ${id} is not pending`));
    const resolved: ApprovalDto = { ...item, status: 'rejected', resolvedBy: actorOf(by), resolvedAt: this.clock.now() };
    this.items.set(id, resolved);
    return ok(resolved);
  }
  pendingCount(): number {
    let count = 0;
    for (const item of this.items.values()) if (item.status === 'pending') count += 1;
    return count;
  }
}

/** Test double: records proposals and answers with `outcome`. */
export class RecordingActionService implements ActionService {
  readonly calls: { request: ActionRequest; actor: string }[] = [];
  constructor(private outcome: ActionOutcome = { status: 'denied', reasons: ['no executor wired (test double)'] }) {}
  async propose(request: ActionRequest, actor: Principal): Promise<Result<ActionOutcome, JarvisError>> {
    this.calls.push({ request, actor: actorOf(actor) });
    return ok(this.outcome);
  }
}

/** Audit entries in memory with the same filters as the real store (newest first, `before` cursor). */
export class MemoryAuditQuery implements AuditQuery {
  constructor(readonly entries: AuditEntryDto[] = []) {}
  async page(query: AuditQueryDto): Promise<Result<AuditPage, JarvisError>> {
    const matches = this.entries
      .filter((entry) => (query.actor ? entry.actor === query.actor : true))
      .filter((entry) => (query.verdict ? entry.verdict === query.verdict : true))
      .filter((entry) => (query.target ? (entry.target ?? '').includes(query.target) : true))
      .filter((entry) => (query.from !== undefined ? entry.time >= query.from : true))
      .filter((entry) => (query.to !== undefined ? entry.time < query.to : true))
      .filter((entry) => (query.before !== undefined ? entry.seq < query.before : true))
      .sort((a, b) => b.seq - a.seq);
    const entries = matches.slice(0, query.limit);
    const last = entries.at(-1);
    return ok({ entries, nextBefore: matches.length > entries.length && last ? last.seq : null });
  }
}

export { clusterHistory, NoModelChat } from '../../src/app/http/no-model-chat.ts';
