import type { AuditAnchor, AuditEntry, AuditRecord, ChainVerdict } from '../audit/audit-record.ts';
import type { JarvisError, Result } from '../errors.ts';

/**
 * Append-only, hash-chained audit log (adapters/sqlite: SqliteAuditLog). `append` resolves only
 * after the row is durably committed; any storage failure is AUDIT_UNAVAILABLE, and the guarded
 * executor then runs nothing.
 */
export interface AuditLog {
  append(entry: AuditEntry): Promise<Result<AuditRecord, JarvisError>>;
  /** Records in seq order, optionally from `afterSeq` (exclusive), at most `limit`. */
  list(options?: { afterSeq?: number; limit?: number }): Promise<Result<AuditRecord[], JarvisError>>;
  /** Re-verifies the whole chain against the stored head. */
  verify(): Promise<Result<ChainVerdict, JarvisError>>;
  head(): Promise<Result<AuditAnchor, JarvisError>>;
}
