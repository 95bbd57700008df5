/**
 * Shared wiring for the kernel's CLI commands (plan, audit, freeze, unfreeze, approve): config,
 * store paths, the audit/ticket/settings stores and a snapshot source (real PVE when pve.url is
 * set, else the embedded simulator, or a snapshot JSON file for `plan --snapshot`).
 * `kernelPaths` uses the server's state DB path, so a CLI freeze or approval reaches the server.
 */
import { readFileSync } from 'node:fs';
import { SqliteAuditLog } from '../../adapters/sqlite/sqlite-audit-log.ts';
import { openDatabase } from '../../adapters/sqlite/open-database.ts';
import { SqliteNodeLocks } from '../../adapters/sqlite/sqlite-node-locks.ts';
import { SqliteSettingsStore } from '../../adapters/sqlite/sqlite-settings-store.ts';
import { SqliteTicketStore } from '../../adapters/sqlite/sqlite-ticket-store.ts';
import { formatConfigError, loadConfig, type JarvisConfig } from '../../config/index.ts';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { ClusterApi, GuestActuator, ServiceActuator } from '../../core/ports/cluster.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import { stateDbPath } from '../compose/open-stores.ts';
import { connectCluster, endpointFromConfig, type ClusterEndpoint } from '../compose/connect-cluster.ts';
import { startEmbeddedSimulator } from '../compose/start-embedded-simulator.ts';

/**
 * Where the kernel keeps its files: the audit log (own path) and the state DB (tickets, settings,
 * locks) — the same state DB the server opens (cli/compose/open-stores.ts `stateDbPath`).
 */
export function kernelPaths(config: JarvisConfig): { auditDb: string; stateDb: string } {
  return { auditDb: config.paths.auditDb, stateDb: stateDbPath(config) };
}

/** Removes `--name VALUE` from args; returns the value (undefined when absent) and the rest. */
export function takeOption(args: readonly string[], name: string): { value: string | undefined; rest: string[] } {
  const index = args.indexOf(name);
  if (index < 0) return { value: undefined, rest: [...args] };
  return { value: args[index + 1], rest: [...args.slice(0, index), ...args.slice(index + 2)] };
}

/** Removes a boolean `--flag` from args. */
export function takeFlag(args: readonly string[], name: string): { present: boolean; rest: string[] } {
  return { present: args.includes(name), rest: args.filter((arg) => arg !== name) };
}

/** Loads the config from CLI args (`--config`, `--data-dir`, ...); prints the error and returns undefined on failure. */
export function loadCliConfig(command: string, args: readonly string[], usage: string): { config: JarvisConfig; rest: string[] } | undefined {
  const loaded = loadConfig({ argv: [...args] });
  if (!loaded.ok) {
    process.stderr.write(formatConfigError(loaded.error));
    return undefined;
  }
  const unknown = loaded.value.rest.find((arg) => arg.startsWith('-'));
  if (unknown) {
    process.stderr.write(`jarvis ${command}: unknown option ${unknown}\nusage: ${usage}\n`);
    return undefined;
  }
  return { config: loaded.value.config, rest: [...loaded.value.rest] };
}

export interface KernelStores {
  readonly audit: SqliteAuditLog;
  readonly tickets: SqliteTicketStore;
  readonly settings: SqliteSettingsStore;
  /** Node locks shared with every process using the same state DB. */
  readonly locks: SqliteNodeLocks;
  close(): void;
}

/** Opens the audit log and the state DB (creating them when missing). */
export function openKernelStores(paths: { auditDb: string; stateDb: string }): Result<KernelStores, JarvisError> {
  const audit = SqliteAuditLog.open(paths.auditDb);
  if (!audit.ok) return audit;
  try {
    const state = openDatabase(paths.stateDb);
    return ok({ audit: audit.value, tickets: new SqliteTicketStore(state), settings: new SqliteSettingsStore(state), locks: new SqliteNodeLocks(state), close: () => { audit.value.close(); state.close(); } });
  } catch (cause) {
    audit.value.close();
    return err(jarvisError('STORAGE_UNAVAILABLE', `cannot open the state database ${paths.stateDb}`, { cause, hint: 'check paths.dataDir (--data-dir) is writable' }));
  }
}

export interface ClusterSource {
  readonly readSnapshot: () => Promise<Result<ClusterSnapshot, JarvisError>>;
  /** Present for a live cluster (real or simulated): the actuators `approve` runs with. */
  readonly api?: (ClusterApi & GuestActuator & ServiceActuator) | undefined;
  readonly simulated: boolean;
  close(): Promise<void>;
}

/** A snapshot JSON file (a ClusterSnapshot as the API returns it). */
export function snapshotFileSource(path: string): Result<ClusterSource, JarvisError> {
  try {
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as ClusterSnapshot;
    if (!Array.isArray(snapshot.nodes) || !Array.isArray(snapshot.guests) || typeof snapshot.quorum !== 'object') throw new Error('not a ClusterSnapshot (nodes, guests, quorum)');
    return ok({ readSnapshot: async () => ok({ ...snapshot, storage: snapshot.storage ?? [] }), simulated: false, close: async () => undefined });
  } catch (cause) {
    return err(jarvisError('INVALID_INPUT', `cannot read snapshot file ${path}: ${(cause as Error).message}`));
  }
}

/** The configured cluster, or the embedded simulator when no pve.url is set. */
export async function clusterSource(config: JarvisConfig): Promise<Result<ClusterSource, JarvisError>> {
  let endpoint: ClusterEndpoint;
  let stop = async () => undefined as void;
  if (config.pve.url === undefined) {
    const simulator = await startEmbeddedSimulator({ authDelayMs: 0, metricsIntervalMs: 0 });
    stop = () => simulator.close();
    endpoint = { url: simulator.url, auth: { kind: 'token', tokenId: simulator.tokenId, tokenSecret: simulator.tokenSecret }, fingerprint: simulator.fingerprint, insecure: false, simulated: true };
  } else {
    const fromConfig = endpointFromConfig(config);
    if (!fromConfig.ok) return fromConfig;
    endpoint = fromConfig.value;
  }
  const connection = connectCluster(endpoint, { timeoutMs: 10_000, logger: silentLogger });
  if (!connection.ok) {
    await stop();
    return connection;
  }
  const api = connection.value.api;
  return ok({
    readSnapshot: () => api.readSnapshot(),
    api,
    simulated: endpoint.simulated,
    close: async () => { connection.value.close(); await stop(); },
  });
}
