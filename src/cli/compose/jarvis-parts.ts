/**
 * The CLI's one composition module: every command that needs a part of Jarvis builds it here —
 * the kernel stores (audit log, state DB), the auth store, the cluster (the configured one or the
 * embedded simulator: decided here and nowhere else), a snapshot file for `plan --snapshot`, and
 * the paths the server and the CLI must agree on (state DB, admin socket).
 * One error vocabulary: AUDIT_UNAVAILABLE (the audit log), STORAGE_UNAVAILABLE (any other store),
 * CONFIG_INVALID / INVALID_INPUT (what the operator asked), and the cluster client's own codes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteAuthStore } from '../../adapters/sqlite/auth-store.ts';
import { openDatabase, SqliteAuditLog, SqliteMemoryStore, SqliteNodeLocks, SqliteSettingsStore, SqliteTicketStore } from '../../adapters/sqlite/index.ts';
import { authPaths } from '../../app/auth/auth-paths.ts';
import type { JarvisConfig } from '../../config/index.ts';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { AuditLog } from '../../core/ports/audit.ts';
import type { NodeLocks } from '../../core/ports/locks.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { MemoryStore } from '../../core/ports/memory.ts';
import type { SettingsStore } from '../../core/ports/settings.ts';
import type { TicketStore } from '../../core/ports/tickets.ts';
import { NO_LOCKS, type LockState } from '../../core/safety/decision.ts';
import type { RunningSimulator, SimulatorOptions } from '../../sim/index.ts';
import { connectCluster, endpointFromConfig, simulatorEndpoint, type ClusterConnection, type ClusterEndpoint } from './connect-cluster.ts';
import { startEmbeddedSimulator } from './start-embedded-simulator.ts';

/** Path of the state database (tickets, emergency stop, node locks, memory), apart from the audit DB. */
export function stateDbPath(config: JarvisConfig): string {
  return join(config.paths.dataDir, 'state.db');
}

/** Path of the running server's local admin socket (`jarvis approve`, `freeze`, `unfreeze` talk to it). */
export function adminSocketPath(config: JarvisConfig): string {
  return join(config.paths.dataDir, 'admin.sock');
}

/** The kernel's stores, shared by every process that uses the same data directory. */
export interface KernelStores {
  readonly audit: AuditLog;
  readonly tickets: TicketStore;
  /** The persisted emergency stop and runtime settings. */
  readonly settingsStore: SettingsStore;
  /** Node locks shared with every process using the same state DB. */
  readonly locks: NodeLocks & Pick<SqliteNodeLocks, 'tryAcquire' | 'state'>;
  /** Jarvis's memory (tables in the state DB). */
  readonly memory: MemoryStore;
  close(): void;
}

/**
 * Opens the hash-chained audit log at `paths.auditDb` (its own volume in Docker) and the state DB
 * under `paths.dataDir`, creating them when missing. AUDIT_UNAVAILABLE when the audit log cannot be
 * opened (Jarvis does not run without it), STORAGE_UNAVAILABLE for the state DB.
 */
export function openKernelStores(config: JarvisConfig): Result<KernelStores, JarvisError> {
  const audit = SqliteAuditLog.open(config.paths.auditDb);
  if (!audit.ok) return audit;
  const path = stateDbPath(config);
  try {
    const state = openDatabase(path);
    return ok({
      audit: audit.value,
      tickets: new SqliteTicketStore(state),
      settingsStore: new SqliteSettingsStore(state),
      locks: new SqliteNodeLocks(state),
      memory: new SqliteMemoryStore(state),
      close: () => {
        state.close();
        audit.value.close();
      },
    });
  } catch (cause) {
    audit.value.close();
    return err(
      jarvisError('STORAGE_UNAVAILABLE', `cannot open the state database ${path}: ${(cause as Error).message.split('\n')[0]}`, {
        hint: 'check that paths.dataDir (--data-dir) is writable',
        cause,
      }),
    );
  }
}

/** The users, sessions and API tokens (`<dataDir>/auth.db`, 0600), shared with the running server. */
export function openAuthStore(config: JarvisConfig): Result<SqliteAuthStore, JarvisError> {
  const path = authPaths(config.paths.dataDir).database;
  try {
    return ok(SqliteAuthStore.open(path));
  } catch (cause) {
    return err(
      jarvisError('STORAGE_UNAVAILABLE', `cannot open the auth database ${path}: ${(cause as Error).message.split('\n')[0]}`, {
        hint: 'check that paths.dataDir (--data-dir) is writable',
        cause,
      }),
    );
  }
}

/**
 * Moves the settings older versions kept in auth.db (the AI switch) to the state DB's settings
 * table, once: a key the state DB already holds keeps its value; the old rows are dropped only
 * after every key is stored. An AI switched off before the upgrade stays off.
 */
export async function migrateLegacySettings(
  auth: Pick<SqliteAuthStore, 'legacySettings' | 'dropLegacySettings'>,
  settings: SettingsStore,
): Promise<Result<void, JarvisError>> {
  const legacy = auth.legacySettings();
  for (const { key, value } of legacy) {
    const current = await settings.readSetting(key);
    if (!current.ok) return current;
    if (current.value !== undefined) continue;
    const written = await settings.writeSetting(key, value);
    if (!written.ok) return written;
  }
  auth.dropLegacySettings(legacy.map((row) => row.key));
  return ok(undefined);
}

/**
 * The emergency stop and the node locks held now, read from the state DB the server shares,
 * without creating it: no state DB yet means not frozen and no locks; an unreadable switch fails
 * closed (frozen).
 */
export async function readKernelState(config: JarvisConfig, now: number): Promise<{ frozen: boolean; locks: LockState }> {
  const path = stateDbPath(config);
  if (!existsSync(path)) return { frozen: false, locks: NO_LOCKS };
  try {
    const database = openDatabase(path);
    try {
      const state = await new SqliteSettingsStore(database).getFreeze();
      return { frozen: state.ok ? state.value.frozen : true, locks: new SqliteNodeLocks(database).state(now) };
    } finally {
      database.close();
    }
  } catch {
    return { frozen: true, locks: NO_LOCKS };
  }
}

/** A connected cluster: the real PVE client pointed at the configured cluster or at the embedded simulator. */
export interface OpenCluster {
  readonly endpoint: ClusterEndpoint;
  readonly connection: ClusterConnection;
  /** Present when no pve.url is configured. */
  readonly simulator?: RunningSimulator | undefined;
  /** Closes the client, then the simulator. */
  close(): Promise<void>;
}

/**
 * The one place that decides simulator-or-real: without `pve.url` it starts the embedded simulator
 * (sized by `simulator.*`, plus `simulator` options from the caller) and points the real PVE
 * client at it; otherwise it connects to the configured cluster.
 */
export async function openCluster(config: JarvisConfig, options: { logger: Logger; simulator?: SimulatorOptions }): Promise<Result<OpenCluster, JarvisError>> {
  let simulator: RunningSimulator | undefined;
  let endpoint: ClusterEndpoint;
  if (config.pve.url === undefined) {
    simulator = await startEmbeddedSimulator({
      nodes: config.simulator.nodes,
      guests: config.simulator.guests,
      seed: config.simulator.seed,
      ...(options.simulator ?? {}),
    });
    endpoint = simulatorEndpoint(simulator);
  } else {
    const fromConfig = endpointFromConfig(config);
    if (!fromConfig.ok) return fromConfig;
    endpoint = fromConfig.value;
  }
  const connection = connectCluster(endpoint, { timeoutMs: config.timeouts.pveMs, logger: options.logger });
  if (!connection.ok) {
    await simulator?.close();
    return connection;
  }
  return ok({
    endpoint,
    connection: connection.value,
    simulator,
    close: async () => {
      connection.value.close();
      await simulator?.close();
    },
  });
}

/** A snapshot JSON file (a ClusterSnapshot as the API returns it), for `jarvis plan --snapshot`. */
export function readSnapshotFile(path: string): Result<ClusterSnapshot, JarvisError> {
  try {
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as ClusterSnapshot;
    if (!Array.isArray(snapshot.nodes) || !Array.isArray(snapshot.guests) || typeof snapshot.quorum !== 'object')
      throw new Error('not a ClusterSnapshot (nodes, guests, quorum)');
    return ok({ ...snapshot, storage: snapshot.storage ?? [] });
  } catch (cause) {
    return err(jarvisError('INVALID_INPUT', `cannot read snapshot file ${path}: ${(cause as Error).message}`));
  }
}
