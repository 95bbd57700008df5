/**
 * Hash-chain link and verify, pure. hash = SHA-256(prevHash + "\n" + canonicalJson(body)), where
 * body is the record without its `hash`. The first record links to GENESIS_HASH.
 */
import { canonicalJson } from '../safety/canonical-json.ts';
import { sha256 } from '../safety/sha256.ts';
import { GENESIS_HASH, type AuditAnchor, type AuditEntry, type AuditRecord, type ChainVerdict } from './audit-record.ts';

/** The canonical body text a record's hash covers. */
export function auditBody(record: Omit<AuditRecord, 'hash'>): string {
  const { hash: _ignored, ...body } = record as AuditRecord;
  return canonicalJson(body);
}

/** Links `entry` after `previous` (or at the start of the chain). */
export function linkRecord(previous: Pick<AuditRecord, 'seq' | 'hash'> | undefined, entry: AuditEntry): AuditRecord {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : GENESIS_HASH;
  const unhashed = { ...entry, seq, prevHash };
  return { ...unhashed, hash: sha256(`${prevHash}\n${auditBody(unhashed)}`) };
}

/**
 * Verifies a chain read back in seq order. Detects edited rows (hash mismatch), removed or
 * reordered rows (seq gap / prevHash mismatch) and, given the anchor, removed trailing rows.
 */
export function verifyChain(records: readonly AuditRecord[], anchor?: AuditAnchor): ChainVerdict {
  const problems: string[] = [];
  let previous: AuditRecord | undefined;
  for (const record of records) {
    const expectedSeq = previous ? previous.seq + 1 : 1;
    if (record.seq !== expectedSeq) problems.push(`row ${record.seq}: expected seq ${expectedSeq} (rows missing or reordered)`);
    const expectedPrev = previous ? previous.hash : GENESIS_HASH;
    if (record.prevHash !== expectedPrev) problems.push(`row ${record.seq}: prevHash does not match the previous row (chain broken)`);
    const { hash, ...unhashed } = record;
    if (sha256(`${record.prevHash}\n${auditBody(unhashed)}`) !== hash) problems.push(`row ${record.seq}: hash mismatch (row altered)`);
    previous = record;
  }
  if (anchor) {
    if (anchor.count !== records.length) problems.push(`the head records ${anchor.count} rows but ${records.length} are present (truncated or rows removed)`);
    else if (anchor.count > 0 && anchor.lastHash !== previous?.hash) problems.push('the head hash does not match the last row (chain replaced)');
  }
  return { ok: problems.length === 0, checked: records.length, problems };
}
