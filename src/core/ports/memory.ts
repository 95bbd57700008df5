import type { JarvisError, Result } from '../errors.ts';
import type { FactVersion, MemoryEntry, MemoryStatus, MemoryTier } from '../memory/types.ts';

export interface MemoryListQuery {
  readonly tier?: MemoryTier | undefined;
  readonly status?: MemoryStatus | undefined;
  /** Case-insensitive substring of the text or subject. */
  readonly search?: string | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

export interface MemoryChange {
  readonly deletes?: readonly string[] | undefined;
  readonly upserts?: readonly MemoryEntry[] | undefined;
  readonly versions?: readonly FactVersion[] | undefined;
}

/**
 * Memory storage (adapters/sqlite: SqliteMemoryStore). Stores entries the app has already checked
 * (core/memory/poison-check.ts); it holds no rules of its own beyond one core fact per subject.
 */
export interface MemoryStore {
  /** Applies deletes, upserts and version rows in one transaction. */
  apply(change: MemoryChange): Promise<Result<void, JarvisError>>;
  get(id: string): Promise<Result<MemoryEntry | undefined, JarvisError>>;
  /** The core fact with this subject, whatever its status. */
  coreFact(subject: string): Promise<Result<MemoryEntry | undefined, JarvisError>>;
  list(query: MemoryListQuery): Promise<Result<{ readonly entries: MemoryEntry[]; readonly total: number }, JarvisError>>;
  /**
   * Active entries sharing at least one key: the newest `2 * perKey` core facts of each entity key
   * (topic keys select no core facts), and the newest `perKey` other entries per key and tier
   * updated at or after `since`.
   */
  candidates(keys: readonly string[], since: number, perKey: number): Promise<Result<MemoryEntry[], JarvisError>>;
  /** Version log of one entry, oldest first. */
  versions(entryId: string): Promise<Result<FactVersion[], JarvisError>>;
  /** Every entry (consolidation). */
  all(): Promise<Result<MemoryEntry[], JarvisError>>;
  /** Deletes a whole tier; returns how many entries went. */
  wipeTier(tier: MemoryTier): Promise<Result<number, JarvisError>>;
}
