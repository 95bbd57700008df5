/**
 * Memory vocabulary: tiers, provenance, entries and the version log of core facts.
 *
 * Operational state (running/stopped, load, usage) is deliberately NOT a tier: it is never
 * stored, only derived from the current snapshot at prompt time (see select.ts), so a memory can
 * never say a VM is stopped when it runs.
 */

/** Stored tiers. `pattern` is what events become after their 7 days (consolidate.ts). */
export type MemoryTier = 'core' | 'event' | 'pattern' | 'conversation';
export const MEMORY_TIERS: readonly MemoryTier[] = ['core', 'event', 'pattern', 'conversation'];

/** Who or what wrote an entry. */
export type MemoryWriter = 'user' | 'consolidation' | 'monitor' | 'cluster';

export interface Provenance {
  readonly writer: MemoryWriter;
  /** `user:alice`, `monitor:node-offline`, `system` (the events.ts naming scheme). */
  readonly principal: string;
  /** Epoch ms when it was written. */
  readonly at: number;
  /** Conversation id, event id (action hash, task UPID, snapshot version) or consolidation run id. */
  readonly sourceId?: string | undefined;
  /** True when any part of the text came from cluster data (names, notes, logs, task text). */
  readonly tainted: boolean;
}

/**
 * `active`: may be injected. `pending`: waits for a human (tainted core facts, derived facts).
 * `contradiction`: consolidation found it disagrees with the cluster; shown to a human, never injected.
 */
export type MemoryStatus = 'active' | 'pending' | 'contradiction';

export interface MemoryEntry {
  readonly id: string;
  readonly tier: MemoryTier;
  /**
   * What the entry is about, normalised: a core fact's key (`agent1 address`, `preference units`)
   * so a changed fact updates in place; an event's kind key; the text itself otherwise.
   */
  readonly subject: string;
  /** The fact as data: one line, sanitised. */
  readonly text: string;
  /** Normalised entity and topic keys: `node:agent1`, `vm:103`, `service:pveproxy`, `topic:backup`. */
  readonly entities: readonly string[];
  readonly status: MemoryStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Absent = no expiry (core facts). */
  readonly expiresAt?: number | undefined;
  /** How many observations an event/pattern stands for (merged duplicates add up). */
  readonly count: number;
  readonly provenance: Provenance;
  /** Why it is pending or contradicted (shown to the human). */
  readonly note?: string | undefined;
}

/** One change of a core fact: updated in place, the change logged here. */
export interface FactVersion {
  readonly entryId: string;
  readonly oldText: string;
  readonly newText: string;
  readonly provenance: Provenance;
  readonly at: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Lifetimes per tier (core: none). */
export const TIER_TTL_MS: Readonly<Record<MemoryTier, number | undefined>> = {
  core: undefined,
  event: 7 * DAY_MS,
  pattern: 90 * DAY_MS,
  conversation: 30 * DAY_MS,
};

/** Expiry for an entry of `tier` written at `at`. */
export function expiryFor(tier: MemoryTier, at: number): number | undefined {
  const ttl = TIER_TTL_MS[tier];
  return ttl === undefined ? undefined : at + ttl;
}

/** Cap on one entry's text (one line). */
export const MAX_ENTRY_CHARS = 300;
