/**
 * The one event seam (STYLE.md convention 13): facts are published once, where they happen
 * (executor, ticket store, audit log, poller, monitor, model gateway, memory), and every surface
 * (WebSocket hub, metrics, logs, chat, monitor, notifiers) subscribes. Nothing re-reads a table to
 * learn what just happened.
 *
 * This file is the shared contract between the issues that build on the seam. Add a new event by
 * adding one entry to `DomainEventMap`; never change the meaning of an existing one.
 * Payloads are plain data (serialisable); times are epoch milliseconds.
 */
import type { AuditRecord } from '../audit/audit-record.ts';
import type { Action, ActionKind, Actor } from '../domain/action.ts';
import type { ClusterEvent } from '../domain/events.ts';
import type { Tier } from '../domain/tier.ts';
import type { Verdict } from '../safety/decision.ts';

/** Who or what a fact is attributed to, in one naming scheme: `user:<name>`, `token:<name>`, `model:<id>`, `monitor:<rule>`, `system`. */
export type PrincipalId = string;

export interface TaskFact {
  /** PVE UPID, or a Jarvis-local id for acts that have no PVE task (SSH, Docker). */
  readonly id: string;
  readonly node: string;
  /** PVE task type (`qmstart`, `vzdump`, ...) or Jarvis's action kind. */
  readonly type: string;
  readonly vmid?: number | undefined;
  readonly user?: string | undefined;
  readonly startedAt: number;
  readonly endedAt?: number | undefined;
  /** `running`, then `OK` or PVE's exit status text (cluster data: sanitise before display to a model). */
  readonly status: string;
  /** 0..1 when known. */
  readonly progress?: number | undefined;
  /** True when Jarvis started it. */
  readonly byJarvis: boolean;
}

export interface DomainEventMap {
  /** The kernel decided a proposal (every decision, allow or deny). */
  'proposal.decided': {
    readonly actionHash: string;
    readonly action: Action;
    readonly verdict: Verdict;
    readonly tier: Tier;
    readonly reasons: readonly string[];
    readonly actor: PrincipalId;
    readonly at: number;
  };
  'ticket.opened': {
    readonly ticketId: string;
    readonly actionHash: string;
    readonly kind: ActionKind;
    readonly summary: string;
    readonly requestedBy: PrincipalId;
    readonly expiresAt: number;
    readonly at: number;
  };
  'ticket.approved': { readonly ticketId: string; readonly approvedBy: PrincipalId; readonly requestedBy: PrincipalId; readonly at: number };
  'ticket.rejected': { readonly ticketId: string; readonly rejectedBy: PrincipalId; readonly reason: string; readonly at: number };
  'ticket.expired': { readonly ticketId: string; readonly at: number };
  'action.started': {
    readonly actionHash: string;
    readonly kind: ActionKind;
    readonly actor: PrincipalId;
    readonly target: Action['target'];
    readonly taskId?: string | undefined;
    readonly at: number;
  };
  'action.finished': {
    readonly actionHash: string;
    readonly kind: ActionKind;
    readonly actor: PrincipalId;
    readonly ok: boolean;
    readonly message: string;
    readonly taskId?: string | undefined;
    readonly at: number;
  };
  /** `record`: the stored row itself (the hub shows it without re-reading the table). */
  'audit.appended': {
    readonly seq: number;
    readonly kind: string;
    readonly actor: PrincipalId;
    readonly at: number;
    readonly record?: AuditRecord | undefined;
  };
  'task.started': TaskFact;
  'task.progressed': TaskFact;
  'task.finished': TaskFact;
  'freeze.changed': { readonly frozen: boolean; readonly by: PrincipalId; readonly reason?: string | undefined; readonly at: number };
  'settings.changed': { readonly key: string; readonly by: PrincipalId; readonly at: number };
  /** Differences between two snapshots, published by the poller after each poll. */
  'cluster.changed': { readonly version: number; readonly events: readonly ClusterEvent[]; readonly at: number };
  /** Health of an outside dependency changed (pve, ssh, docker, model:local, model:cloud, ...). */
  'dependency.changed': { readonly dependency: string; readonly up: boolean; readonly reason?: string | undefined; readonly at: number };
  /**
   * An alert of the monitor changed (core/anomaly/alert-book's transitions, published where the
   * monitor applies them): opened, reopened, escalated, updated, snooze-ended, resolved,
   * acknowledged, snoozed. `state` is the alert's state after the change.
   */
  'alert.changed': {
    readonly alertId: string;
    readonly rule: string;
    readonly severity: string;
    readonly target: string;
    readonly transition: 'opened' | 'reopened' | 'escalated' | 'updated' | 'snooze-ended' | 'resolved' | 'acknowledged' | 'snoozed';
    readonly state: 'open' | 'acknowledged' | 'snoozed' | 'resolved';
    readonly at: number;
  };
  /** Memory changed or refused a write (app/memory). `reasons` explain a rejection; texts are never included. */
  'memory.changed': {
    readonly change: 'stored' | 'updated' | 'rejected' | 'deleted' | 'confirmed' | 'wiped' | 'consolidated';
    readonly tier?: string | undefined;
    readonly id?: string | undefined;
    readonly by: PrincipalId;
    readonly reasons?: readonly string[] | undefined;
    readonly at: number;
  };
}

export type DomainEventName = keyof DomainEventMap;
export type DomainEvent = { [K in DomainEventName]: { readonly name: K; readonly payload: DomainEventMap[K] } }[DomainEventName];

/**
 * A small typed bus. `publish` never throws and never waits for subscribers; a subscriber that
 * throws is isolated (logged by the implementation) and does not stop the others.
 */
export interface EventBus {
  publish<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void;
  /** Subscribes to one event; returns the unsubscribe function. */
  on<K extends DomainEventName>(name: K, listener: (payload: DomainEventMap[K]) => void): () => void;
  /** Subscribes to every event (hub, logs, metrics); returns the unsubscribe function. */
  onAny(listener: (event: DomainEvent) => void): () => void;
}

/** Formats an actor in the one naming scheme (`user:alice`, `token:claude`, `model:qwen`, `monitor:node-offline`). */
export function principalOf(actor: Actor): PrincipalId {
  switch (actor.kind) {
    case 'user':
      return `user:${actor.id}`;
    case 'model':
      return `model:${actor.modelId}`;
    case 'monitor':
      return `monitor:${actor.rule}`;
    case 'mcp-client':
      return `token:${actor.clientId}`;
  }
}
