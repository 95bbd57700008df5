/**
 * Mappers from the kernel's audit rows to the wire DTOs of src/protocol. Tickets, tasks, blast
 * radius and the executor's outcome are mapped where the executor builds them
 * (app/actions/outcome-wire.ts), re-exported here for the HTTP layer.
 */
import type { AuditRecord } from '../../core/audit/audit-record.ts';
import { auditPrincipal } from '../events/publishing-audit-log.ts';
import type { AuditEntryDto } from '../../protocol/index.ts';
export { approvalDto, blastRadiusDto, taskDto, wireOutcome } from '../actions/outcome-wire.ts';

/** `user:admin`, `model:qwen`, `monitor:disk-full`, `token:desktop`, `system:cli`: the one naming scheme (principalOf). */
export const actorLabel = auditPrincipal;

export function auditEntryDto(record: AuditRecord): AuditEntryDto {
  const [first = '', ...rest] = (record.target ?? '').split(' ');
  const hasKind = /^[a-z]+\.[a-z]+$/.test(first) && rest.length > 0;
  return {
    seq: record.seq,
    time: record.time,
    actor: actorLabel(record.actor),
    tool: record.tool,
    ...(record.target ? (hasKind ? { action: first, target: rest.join(' ') } : { target: record.target }) : {}),
    ...(record.tier ? { tier: record.tier } : {}),
    verdict: record.verdict ?? record.kind,
    reasons: [...(record.reasons ?? [])],
    ...(record.ticket ? { ticket: record.ticket } : {}),
    ...(record.result ? { result: record.result } : {}),
    ...(record.durationMs !== undefined ? { durationMs: record.durationMs } : {}),
    hash: record.hash,
    prevHash: record.prevHash,
    ...(record.params ? { params: { ...record.params } } : {}),
  };
}
