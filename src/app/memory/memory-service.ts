/**
 * The memory use-cases: remember / forget / edit / confirm / wipe (every write through the
 * poisoning check, every rejection told to the caller and audited), selection for a prompt
 * (framed, within the budget the gateway gives), events recorded from the event bus where they
 * happen, and daily consolidation driven by the injected clock.
 *
 * Memory only ever produces framed DATA for a prompt. It has no path to the kernel, tiers,
 * protected lists, budgets or persona: those take no memory input (test/memory/no-decision-change.test.ts).
 */
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import { parseMemoryCommand } from '../../core/memory/commands.ts';
import { planConsolidation, type ConsolidationPlan } from '../../core/memory/consolidate.ts';
import { catalogueOf, extractEntities } from '../../core/memory/entities.ts';
import { factSubject, planFactWrite } from '../../core/memory/facts.ts';
import { checkMemoryText, explainRejection, type RejectCategory } from '../../core/memory/poison-check.ts';
import { requestKeys, selectMemory, type Selection } from '../../core/memory/select.ts';
import type { TokenEstimator } from '../../core/memory/tokens.ts';
import { DAY_MS, expiryFor, type FactVersion, type MemoryEntry, type MemoryTier, type MemoryWriter, type Provenance } from '../../core/memory/types.ts';
import type { Action } from '../../core/domain/action.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { EventBus } from '../../core/ports/events.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { MemoryListQuery, MemoryStore } from '../../core/ports/memory.ts';
import { actionRecord, clusterRecord, dependencyRecord, taskRecord, type EventRecord } from './event-records.ts';

export interface MemoryServiceDeps {
  readonly store: MemoryStore;
  readonly clock: Clock;
  /** The poller's latest snapshot (operational state and entity names come from here, never from memory). */
  readonly snapshot: () => ClusterSnapshot | null;
  readonly newId: () => string;
  readonly audit?: AuditLog | undefined;
  readonly bus?: EventBus | undefined;
  readonly logger?: Logger | undefined;
  readonly estimateTokens?: TokenEstimator | undefined;
  /** UTC hour of the daily consolidation (default 3). */
  readonly consolidationHourUtc?: number | undefined;
}

/** Who is writing, as the caller knows it. */
export interface WriteSource {
  readonly writer: MemoryWriter;
  /** `user:alice`, `monitor:rule`, `system`. */
  readonly principal: string;
  readonly sourceId?: string | undefined;
  /** True when the text came from cluster data; such a core fact waits for a human. */
  readonly tainted?: boolean | undefined;
}

export type RememberOutcome =
  | { readonly stored: true; readonly change: 'inserted' | 'updated' | 'unchanged' | 'pending'; readonly entry: MemoryEntry; readonly message: string }
  | { readonly stored: false; readonly categories: readonly RejectCategory[]; readonly reasons: readonly string[]; readonly message: string };

export interface PromptRequest {
  readonly text: string;
  readonly entities?: readonly string[] | undefined;
  /** Defaults to the poller's latest snapshot. */
  readonly snapshot?: ClusterSnapshot | null | undefined;
  readonly budgetTokens: number;
}

export interface ConsolidationReport {
  readonly runId: string;
  readonly at: number;
  readonly stats: ConsolidationPlan['stats'];
  readonly contradictions: ConsolidationPlan['contradictions'];
}

const PER_KEY = 20;
const PATTERN_WINDOW_MS = 90 * DAY_MS;

export class MemoryService {
  readonly #deps: MemoryServiceDeps;
  readonly #targets = new Map<string, Action['target']>();
  #nextConsolidation: number | undefined;
  #lastReport: ConsolidationReport | undefined;

  constructor(deps: MemoryServiceDeps) {
    this.#deps = deps;
  }

  get lastConsolidation(): ConsolidationReport | undefined {
    return this.#lastReport;
  }

  // ---------------------------------------------------------------- writes

  /** Stores a core fact (or, for `tier: 'conversation'`, a one-line conversation summary) after the check. */
  async remember(text: string, source: WriteSource, tier: 'core' | 'conversation' = 'core'): Promise<Result<RememberOutcome, JarvisError>> {
    const now = this.#deps.clock.now();
    const check = checkMemoryText(text);
    if (!check.ok) {
      const message = explainRejection(check);
      await this.#auditRejection(source, check.categories, check.reasons, tier);
      this.#deps.bus?.publish('memory.changed', { change: 'rejected', tier, by: source.principal, reasons: check.reasons, at: now });
      return ok({ stored: false, categories: check.categories, reasons: check.reasons, message });
    }
    const provenance: Provenance = { writer: source.writer, principal: source.principal, at: now, sourceId: source.sourceId, tainted: source.tainted ?? false };
    const entities = extractEntities(check.text, catalogueOf(this.#deps.snapshot()));
    if (tier === 'conversation') {
      const entry: MemoryEntry = {
        id: this.#deps.newId(),
        tier,
        subject: check.text,
        text: check.text,
        entities,
        status: 'active',
        createdAt: now,
        updatedAt: now,
        expiresAt: expiryFor(tier, now),
        count: 1,
        provenance,
      };
      const saved = await this.#deps.store.apply({ upserts: [entry] });
      if (!saved.ok) return saved;
      await this.#auditWrite(source, 'stored', entry);
      return ok({ stored: true, change: 'inserted', entry, message: 'Summary kept.' });
    }
    const existing = await this.#deps.store.coreFact(factSubject(check.text));
    if (!existing.ok) return existing;
    const plan = planFactWrite(existing.value, { id: existing.value?.id ?? this.#deps.newId(), text: check.text, entities, provenance, now });
    if (plan.kind === 'unchanged') return ok({ stored: true, change: 'unchanged', entry: plan.entry, message: 'I already knew that.' });
    const saved = await this.#deps.store.apply({ upserts: [plan.entry], versions: plan.kind === 'update' ? [plan.version] : [] });
    if (!saved.ok) return saved;
    const change = plan.entry.status !== 'active' ? 'pending' : plan.kind === 'update' ? 'updated' : 'inserted';
    await this.#auditWrite(source, change === 'updated' ? 'updated' : 'stored', plan.entry, plan.kind === 'update' ? plan.version.oldText : undefined);
    this.#deps.bus?.publish('memory.changed', {
      change: change === 'updated' ? 'updated' : 'stored',
      tier: 'core',
      id: plan.entry.id,
      by: source.principal,
      at: now,
    });
    const message =
      change === 'pending'
        ? 'Noted, but it came from cluster data: it waits for a human to confirm it in the Memory view before I use it.'
        : change === 'updated'
          ? `Updated (was: ${plan.kind === 'update' ? plan.version.oldText : ''}).`
          : 'Remembered.';
    return ok({ stored: true, change, entry: plan.entry, message });
  }

  /** Forgets by id, or every core fact / summary whose text contains `query` (at most 50). */
  async forget(query: string, by: string): Promise<Result<{ removed: MemoryEntry[]; message: string }, JarvisError>> {
    const trimmed = query.trim();
    if (trimmed.length === 0) return err(jarvisError('INVALID_INPUT', 'forget what? name the fact or part of its text'));
    const byId = await this.#deps.store.get(trimmed);
    if (!byId.ok) return byId;
    let targets: MemoryEntry[] = byId.value ? [byId.value] : [];
    if (targets.length === 0) {
      for (const tier of ['core', 'conversation'] as const) {
        const found = await this.#deps.store.list({ tier, search: trimmed, limit: 50 });
        if (!found.ok) return found;
        targets = [...targets, ...found.value.entries];
      }
      targets = targets.slice(0, 50);
    }
    if (targets.length === 0) return ok({ removed: [], message: `Nothing in memory matches "${trimmed}".` });
    const removed = await this.#deps.store.apply({ deletes: targets.map((entry) => entry.id) });
    if (!removed.ok) return removed;
    for (const entry of targets) {
      await this.#auditWrite({ writer: 'user', principal: by }, 'deleted', entry);
      this.#deps.bus?.publish('memory.changed', { change: 'deleted', tier: entry.tier, id: entry.id, by, at: this.#deps.clock.now() });
    }
    return ok({
      removed: targets,
      message: `Forgot ${targets.length} ${targets.length === 1 ? 'entry' : 'entries'}: ${targets
        .map((entry) => entry.text)
        .slice(0, 3)
        .join('; ')}${targets.length > 3 ? '; …' : ''}`,
    });
  }

  /** A human edits an entry's text (checked again; a core fact keeps its version log). */
  async edit(id: string, text: string, by: string): Promise<Result<RememberOutcome, JarvisError>> {
    const found = await this.#deps.store.get(id);
    if (!found.ok) return found;
    const entry = found.value;
    if (!entry) return err(jarvisError('NOT_FOUND', `no memory entry ${id}`));
    const now = this.#deps.clock.now();
    const check = checkMemoryText(text);
    const source: WriteSource = { writer: 'user', principal: by };
    if (!check.ok) {
      await this.#auditRejection(source, check.categories, check.reasons, entry.tier);
      this.#deps.bus?.publish('memory.changed', { change: 'rejected', tier: entry.tier, id, by, reasons: check.reasons, at: now });
      return ok({ stored: false, categories: check.categories, reasons: check.reasons, message: explainRejection(check) });
    }
    const provenance: Provenance = { writer: 'user', principal: by, at: now, tainted: false };
    const updated: MemoryEntry = {
      ...entry,
      text: check.text,
      subject: entry.tier === 'core' ? entry.subject : check.text,
      updatedAt: now,
      provenance,
      status: 'active',
      note: undefined,
      entities: extractEntities(check.text, catalogueOf(this.#deps.snapshot())),
    };
    const version: FactVersion = { entryId: id, oldText: entry.text, newText: check.text, provenance, at: now };
    const saved = await this.#deps.store.apply({ upserts: [updated], versions: entry.tier === 'core' && entry.text !== check.text ? [version] : [] });
    if (!saved.ok) return saved;
    await this.#auditWrite(source, 'updated', updated, entry.text);
    this.#deps.bus?.publish('memory.changed', { change: 'updated', tier: entry.tier, id, by, at: now });
    return ok({ stored: true, change: 'updated', entry: updated, message: 'Updated.' });
  }

  /** A human confirms a pending or contradicted entry as it stands: it becomes active. */
  async confirm(id: string, by: string): Promise<Result<MemoryEntry, JarvisError>> {
    const found = await this.#deps.store.get(id);
    if (!found.ok) return found;
    if (!found.value) return err(jarvisError('NOT_FOUND', `no memory entry ${id}`));
    const now = this.#deps.clock.now();
    const confirmed: MemoryEntry = { ...found.value, status: 'active', note: `confirmed by ${by}` };
    const saved = await this.#deps.store.apply({ upserts: [confirmed] });
    if (!saved.ok) return saved;
    await this.#auditWrite({ writer: 'user', principal: by }, 'confirmed', confirmed);
    this.#deps.bus?.publish('memory.changed', { change: 'confirmed', tier: confirmed.tier, id, by, at: now });
    return ok(confirmed);
  }

  async delete(id: string, by: string): Promise<Result<boolean, JarvisError>> {
    const found = await this.#deps.store.get(id);
    if (!found.ok) return found;
    if (!found.value) return ok(false);
    const removed = await this.#deps.store.apply({ deletes: [id] });
    if (!removed.ok) return removed;
    await this.#auditWrite({ writer: 'user', principal: by }, 'deleted', found.value);
    this.#deps.bus?.publish('memory.changed', { change: 'deleted', tier: found.value.tier, id, by, at: this.#deps.clock.now() });
    return ok(true);
  }

  /** Admin only (the route checks the role): deletes a whole tier. */
  async wipeTier(tier: MemoryTier, by: string): Promise<Result<number, JarvisError>> {
    const wiped = await this.#deps.store.wipeTier(tier);
    if (!wiped.ok) return wiped;
    await this.#audit({ tool: 'memory.wipe', principal: by, target: `memory tier ${tier}`, result: `wiped ${wiped.value}` });
    this.#deps.bus?.publish('memory.changed', { change: 'wiped', tier, by, at: this.#deps.clock.now() });
    return ok(wiped.value);
  }

  // ---------------------------------------------------------------- reads

  list(query: MemoryListQuery): ReturnType<MemoryStore['list']> {
    return this.#deps.store.list(query);
  }

  async detail(id: string): Promise<Result<{ entry: MemoryEntry; versions: FactVersion[] } | undefined, JarvisError>> {
    const found = await this.#deps.store.get(id);
    if (!found.ok) return found;
    if (!found.value) return ok(undefined);
    const versions = await this.#deps.store.versions(id);
    if (!versions.ok) return versions;
    return ok({ entry: found.value, versions: versions.value });
  }

  /**
   * Memory for one prompt: framed text and its token count, never over `budgetTokens`.
   * A storage failure yields an empty selection (the chat goes on without memory) and a warning.
   */
  async selectForPrompt(request: PromptRequest): Promise<Selection> {
    const now = this.#deps.clock.now();
    const snapshot = request.snapshot === undefined ? this.#deps.snapshot() : request.snapshot;
    const keys = requestKeys({ text: request.text, entities: request.entities, snapshot });
    const candidates = keys.length === 0 ? { ok: true as const, value: [] } : await this.#deps.store.candidates(keys, now - PATTERN_WINDOW_MS, PER_KEY);
    if (!candidates.ok) this.#deps.logger?.warn({ code: candidates.error.code }, 'memory selection skipped: store unavailable');
    return selectMemory({
      text: request.text,
      entities: request.entities,
      snapshot,
      candidates: candidates.ok ? candidates.value : [],
      now,
      budgetTokens: request.budgetTokens,
      estimateTokens: this.#deps.estimateTokens,
    });
  }

  // ---------------------------------------------------------------- chat

  /**
   * Handles "remember …" / "forget …" typed in chat (the agent calls this first); undefined when
   * the message is not a memory command. The reply tells the user what happened and, on a
   * rejection, why.
   */
  async handleChatCommand(
    message: string,
    from: { principal: string; conversationId?: string | undefined },
  ): Promise<{ ok: boolean; reply: string } | undefined> {
    const command = parseMemoryCommand(message);
    if (!command) return undefined;
    if (command.verb === 'forget') {
      const result = await this.forget(command.body, from.principal);
      return result.ok ? { ok: true, reply: result.value.message } : { ok: false, reply: result.error.message };
    }
    const result = await this.remember(command.body, {
      writer: 'user',
      principal: from.principal,
      sourceId: from.conversationId ? `conversation:${from.conversationId}` : undefined,
    });
    if (!result.ok) return { ok: false, reply: `Memory is unavailable: ${result.error.message}` };
    return { ok: result.value.stored, reply: result.value.message };
  }

  /** Keeps the one-line summary of a finished conversation (the agent calls this when a session ends). */
  summariseConversation(conversationId: string, summary: string, principal: string): Promise<Result<RememberOutcome, JarvisError>> {
    const line = summary.split(/\r?\n/)[0] ?? '';
    return this.remember(line, { writer: 'user', principal, sourceId: `conversation:${conversationId}` }, 'conversation');
  }

  // ---------------------------------------------------------------- events

  /** Records events where they happen; returns the unsubscribe function. */
  subscribe(bus: EventBus): () => void {
    const offs = [
      bus.on('action.started', (payload) => {
        this.#targets.set(payload.actionHash, payload.target);
        if (this.#targets.size > 1000) this.#targets.delete(this.#targets.keys().next().value as string);
      }),
      bus.on('action.finished', (payload) => {
        const target = this.#targets.get(payload.actionHash);
        this.#targets.delete(payload.actionHash);
        void this.recordEvent(actionRecord(payload, target), payload.at, payload.actor.startsWith('monitor:') ? 'monitor' : 'cluster');
      }),
      bus.on('cluster.changed', (payload) => {
        for (const event of payload.events) void this.recordEvent(clusterRecord(event, payload.version), event.at, 'cluster');
      }),
      bus.on('task.finished', (task) => {
        const record = taskRecord(task);
        if (record) void this.recordEvent(record, task.endedAt ?? task.startedAt, 'cluster');
      }),
      bus.on('dependency.changed', (payload) => void this.recordEvent(dependencyRecord(payload), payload.at, 'monitor')),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /** Stores one event record (7-day TTL). Never throws; failures are logged. */
  async recordEvent(record: EventRecord, at: number, writer: MemoryWriter): Promise<void> {
    try {
      const check = checkMemoryText(record.text);
      if (!check.ok || record.withheld) {
        await this.#auditRejection(
          { writer, principal: 'system', sourceId: record.sourceId, tainted: true },
          check.ok ? ['instruction'] : check.categories,
          record.withheld ?? (check.ok ? [] : check.reasons),
          'event',
        );
        if (!check.ok) return;
      }
      const entry: MemoryEntry = {
        id: this.#deps.newId(),
        tier: 'event',
        subject: record.subject,
        text: check.text,
        entities: [...record.entities].sort(),
        status: 'active',
        createdAt: at,
        updatedAt: at,
        expiresAt: expiryFor('event', at),
        count: 1,
        provenance: { writer, principal: 'system', at: this.#deps.clock.now(), sourceId: record.sourceId, tainted: record.tainted },
      };
      const saved = await this.#deps.store.apply({ upserts: [entry] });
      if (!saved.ok) this.#deps.logger?.warn({ code: saved.error.code }, 'memory event not recorded');
    } catch (cause) {
      this.#deps.logger?.error({ err: cause instanceof Error ? cause.message : String(cause) }, 'memory event recording failed');
    }
  }

  // ---------------------------------------------------------------- consolidation

  async consolidate(): Promise<Result<ConsolidationReport, JarvisError>> {
    const now = this.#deps.clock.now();
    const entries = await this.#deps.store.all();
    if (!entries.ok) return entries;
    const runId = this.#deps.newId();
    const plan = planConsolidation({ entries: entries.value, snapshot: this.#deps.snapshot(), now, runId, newId: this.#deps.newId });
    const applied = await this.#deps.store.apply(plan);
    if (!applied.ok) return applied;
    const report: ConsolidationReport = { runId, at: now, stats: plan.stats, contradictions: plan.contradictions };
    this.#lastReport = report;
    await this.#audit({ tool: 'memory.consolidate', principal: 'system', target: 'memory', result: JSON.stringify(plan.stats) });
    for (const contradiction of plan.contradictions)
      this.#deps.logger?.warn({ entryId: contradiction.entryId, subject: contradiction.subject }, 'memory contradiction needs a human');
    this.#deps.bus?.publish('memory.changed', { change: 'consolidated', by: 'system', at: now });
    return ok(report);
  }

  /** Next consolidation time after `now`: the configured UTC hour, daily. */
  nextConsolidationAfter(now: number): number {
    const hour = this.#deps.consolidationHourUtc ?? 3;
    const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
    const today = dayStart + hour * 60 * 60 * 1000;
    return today > now ? today : today + DAY_MS;
  }

  /** Runs consolidation when it is due by the injected clock; call it periodically (see start()). */
  async runDue(): Promise<ConsolidationReport | undefined> {
    const now = this.#deps.clock.now();
    this.#nextConsolidation ??= this.nextConsolidationAfter(now);
    if (now < this.#nextConsolidation) return undefined;
    this.#nextConsolidation = this.nextConsolidationAfter(now);
    const report = await this.consolidate();
    if (!report.ok) {
      this.#deps.logger?.warn({ code: report.error.code }, 'memory consolidation failed; retried at the next check');
      return undefined;
    }
    return report.value;
  }

  /** Checks every `everyMs` (default 10 min) whether consolidation is due; returns the stop function. */
  start(everyMs = 10 * 60 * 1000): () => void {
    const timer = setInterval(() => void this.runDue(), everyMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  // ---------------------------------------------------------------- audit

  async #auditRejection(source: WriteSource, categories: readonly RejectCategory[], reasons: readonly string[], tier: string): Promise<void> {
    await this.#audit({
      tool: 'memory.remember',
      principal: source.principal,
      target: `memory ${tier}`,
      result: `rejected (${categories.join(', ')}): ${reasons.join('; ')}`,
      sourceId: source.sourceId,
    });
  }

  async #auditWrite(source: WriteSource, change: string, entry: MemoryEntry, oldText?: string): Promise<void> {
    await this.#audit({
      tool: `memory.${change === 'deleted' ? 'forget' : change === 'confirmed' ? 'confirm' : 'remember'}`,
      principal: source.principal,
      target: `memory ${entry.tier} ${entry.id}`,
      result: change,
      sourceId: source.sourceId,
      params: {
        subject: entry.subject,
        ...(oldText !== undefined ? { oldText } : {}),
        ...(change === 'deleted' ? {} : { newText: entry.text }),
        status: entry.status,
      },
    });
  }

  async #audit(row: {
    tool: string;
    principal: string;
    target: string;
    result: string;
    sourceId?: string | undefined;
    params?: Record<string, unknown>;
  }): Promise<void> {
    if (!this.#deps.audit) return;
    const [kind, ...rest] = row.principal.split(':');
    const id = rest.join(':') || row.principal;
    const actor =
      kind === 'user'
        ? ({ kind: 'user', id } as const)
        : kind === 'monitor'
          ? ({ kind: 'monitor', rule: id } as const)
          : kind === 'token'
            ? ({ kind: 'mcp-client', clientId: id } as const)
            : ({ kind: 'system', id: row.principal } as const);
    const appended = await this.#deps.audit.append({
      kind: 'memory',
      time: this.#deps.clock.now(),
      actor,
      tool: row.tool,
      target: row.target,
      result: row.result,
      params: { ...(row.params ?? {}), ...(row.sourceId ? { sourceId: row.sourceId } : {}) },
    });
    if (!appended.ok) this.#deps.logger?.warn({ code: appended.error.code }, 'memory audit row not written');
  }
}
