/**
 * The AuditLog port with `audit.appended` published for every row durably written: applied once at
 * composition (create-jarvis), so every writer (executor, freeze switch, read-tool audit, ...) is
 * covered and nobody re-reads the table to learn of a new row.
 */
import type { AuditRecord } from '../../core/audit/audit-record.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import { principalOf, type EventBus, type PrincipalId } from '../../core/ports/events.ts';

/** The one naming scheme for an audit row's actor (`system` rows keep their id: `system:<id>`). */
export function auditPrincipal(actor: AuditRecord['actor']): PrincipalId {
  return actor.kind === 'system' ? `system:${actor.id}` : principalOf(actor);
}

/** Wraps `log`: same behaviour, plus one `audit.appended` per successful append. */
export function publishingAuditLog(log: AuditLog, events: EventBus): AuditLog {
  return {
    async append(entry) {
      const written = await log.append(entry);
      if (written.ok) {
        const record = written.value;
        events.publish('audit.appended', { seq: record.seq, kind: record.kind, actor: auditPrincipal(record.actor), at: record.time, record });
      }
      return written;
    },
    list: (options) => log.list(options),
    verify: () => log.verify(),
    head: () => log.head(),
  };
}
