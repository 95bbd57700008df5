/** Shared pieces for the memory suites: a manual clock, ids, a recording bus and audit log, a service on SQLite in memory. */
import { SqliteMemoryStore } from '../../src/adapters/sqlite/memory-store.ts';
import { openDatabase } from '../../src/adapters/sqlite/open-database.ts';
import { MemoryService, type MemoryServiceDeps } from '../../src/app/memory/memory-service.ts';
import type { AuditEntry, AuditRecord } from '../../src/core/audit/audit-record.ts';
import type { ClusterSnapshot } from '../../src/core/domain/cluster.ts';
import { ok } from '../../src/core/errors.ts';
import type { MemoryEntry } from '../../src/core/memory/types.ts';
import type { AuditLog } from '../../src/core/ports/audit.ts';
import type { DomainEvent, DomainEventMap, DomainEventName, EventBus } from '../../src/core/ports/events.ts';

export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

export class ManualClock {
  constructor(public time = T0) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export function idFactory(prefix = 'm'): () => string {
  let next = 0;
  return () => `${prefix}${(next += 1).toString().padStart(6, '0')}`;
}

export class RecordingBus implements EventBus {
  readonly published: DomainEvent[] = [];
  readonly #listeners = new Map<string, Set<(payload: never) => void>>();
  readonly #any = new Set<(event: DomainEvent) => void>();
  publish<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    const event = { name, payload } as DomainEvent;
    this.published.push(event);
    for (const listener of this.#listeners.get(name) ?? []) (listener as (value: DomainEventMap[K]) => void)(payload);
    for (const listener of this.#any) listener(event);
  }
  on<K extends DomainEventName>(name: K, listener: (payload: DomainEventMap[K]) => void): () => void {
    const set = this.#listeners.get(name) ?? new Set();
    set.add(listener as (payload: never) => void);
    this.#listeners.set(name, set);
    return () => set.delete(listener as (payload: never) => void);
  }
  onAny(listener: (event: DomainEvent) => void): () => void {
    this.#any.add(listener);
    return () => this.#any.delete(listener);
  }
}

export class RecordingAudit implements AuditLog {
  readonly rows: AuditEntry[] = [];
  async append(entry: AuditEntry) {
    this.rows.push(entry);
    return ok({ ...entry, seq: this.rows.length, prevHash: '0', hash: '0' } as AuditRecord);
  }
  async list() {
    return ok(this.rows.map((row, index) => ({ ...row, seq: index + 1, prevHash: '0', hash: '0' }) as AuditRecord));
  }
  async verify() {
    return ok({ ok: true, checked: this.rows.length, problems: [] });
  }
  async head() {
    return ok({ count: this.rows.length, lastHash: '0' });
  }
}

export function makeService(snapshot: ClusterSnapshot | null, overrides: Partial<MemoryServiceDeps> = {}) {
  const clock = new ManualClock();
  const store = new SqliteMemoryStore(openDatabase(':memory:'));
  const audit = new RecordingAudit();
  const bus = new RecordingBus();
  let current = snapshot;
  const service = new MemoryService({ store, clock, audit, bus, snapshot: () => current, newId: idFactory(), ...overrides });
  return { service, store, clock, audit, bus, setSnapshot: (next: ClusterSnapshot | null) => (current = next) };
}

export function entry(partial: Partial<MemoryEntry> & Pick<MemoryEntry, 'id'>): MemoryEntry {
  return {
    tier: 'core',
    subject: partial.id,
    text: `fact ${partial.id}`,
    entities: [],
    status: 'active',
    createdAt: T0,
    updatedAt: T0,
    count: 1,
    provenance: { writer: 'user', principal: 'user:owner', at: T0, tainted: false },
    ...partial,
  };
}
