import { join } from 'node:path';
import { openDatabase, SqliteAuditLog, SqliteMemoryStore, SqliteNodeLocks, SqliteSettingsStore, SqliteTicketStore } from '../../adapters/sqlite/index.ts';
import type { MemoryStore } from '../../core/ports/memory.ts';
import type { JarvisConfig } from '../../config/index.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { NodeLocks } from '../../core/ports/locks.ts';
import type { SettingsStore } from '../../core/ports/settings.ts';
import type { TicketStore } from '../../core/ports/tickets.ts';

export interface KernelStores {
  readonly audit: AuditLog;
  readonly tickets: TicketStore;
  /** The persisted emergency stop. */
  readonly freezeStore: SettingsStore;
  /** Node locks shared with every process using the same state DB (`jarvis approve`). */
  readonly locks: NodeLocks;
  /** Jarvis's memory (tables in the state DB). */
  readonly memory: MemoryStore;
  close(): void;
}

/** Path of the state database (tickets, emergency stop) — beside the data, apart from the audit DB. */
export function stateDbPath(config: JarvisConfig): string {
  return join(config.paths.dataDir, 'state.db');
}

/**
 * Opens the kernel's SQLite stores (WAL): the hash-chained audit log at `paths.auditDb` (its own
 * volume in Docker) and the state DB under `paths.dataDir`. AUDIT_UNAVAILABLE when they cannot be
 * opened: Jarvis does not start without its audit log.
 */
export function openKernelStores(config: JarvisConfig): Result<KernelStores, JarvisError> {
  const audit = SqliteAuditLog.open(config.paths.auditDb);
  if (!audit.ok) return audit;
  try {
    const state = openDatabase(stateDbPath(config));
    return ok({
      audit: audit.value,
      tickets: new SqliteTicketStore(state),
      freezeStore: new SqliteSettingsStore(state),
      locks: new SqliteNodeLocks(state),
      memory: new SqliteMemoryStore(state),
      close: () => {
        state.close();
        audit.value.close();
      },
    });
  } catch (error) {
    audit.value.close();
    return err(jarvisError('AUDIT_UNAVAILABLE', `cannot open the state database ${stateDbPath(config)}: ${(error as Error).message}`, { hint: 'check paths.dataDir and its permissions', cause: error }));
  }
}
