import { describe, expect, it } from 'vitest';
import { linkRecord, verifyChain } from './audit-chain.ts';
import type { AuditEntry, AuditRecord } from './audit-record.ts';

const entry = (index: number): AuditEntry => ({
  kind: 'decision',
  time: 1000 + index,
  actor: { kind: 'user', id: 'owner' },
  tool: 'test',
  verdict: 'allow',
  reasons: [`r${index}`],
});

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let index = 0; index < length; index++) records.push(linkRecord(records.at(-1), entry(index)));
  return records;
}

describe('audit hash chain', () => {
  it('verifies an intact chain with its anchor', () => {
    const records = chain(5);
    expect(verifyChain(records, { count: 5, lastHash: records[4]!.hash })).toEqual({ ok: true, checked: 5, problems: [] });
  });

  it('detects an altered row', () => {
    const records = chain(5);
    records[2] = { ...records[2]!, verdict: 'deny' };
    const verdict = verifyChain(records);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toContain('row 3: hash mismatch');
  });

  it('detects a removed middle row', () => {
    const records = chain(5);
    records.splice(1, 1);
    expect(verifyChain(records).ok).toBe(false);
  });

  it('detects truncation of the last rows only with the anchor', () => {
    const records = chain(5);
    const anchor = { count: 5, lastHash: records[4]!.hash };
    const truncated = records.slice(0, 3);
    expect(verifyChain(truncated).ok).toBe(true);
    expect(verifyChain(truncated, anchor).problems[0]).toContain('truncated');
  });
});
