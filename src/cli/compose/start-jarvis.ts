import type { ModelGateway } from '../../core/llm/model-port.ts';
import { SqliteConversationStore } from '../../adapters/sqlite/sqlite-conversation-store.ts';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BootstrapAdminResult } from '../../app/auth/bootstrap-admin.ts';
import { createJarvis, type Jarvis } from '../../app/create-jarvis.ts';
import { notifiersFromConfig, openAlertStore } from './monitor-from-config.ts';
import { loadConfig, type JarvisConfig } from '../../config/index.ts';
import { err, jarvisError, ok, toJarvisError, type JarvisError, type Result } from '../../core/errors.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { RunningSimulator, SimulatorOptions } from '../../sim/index.ts';
import { appOptionsFromConfig } from './app-options-from-config.ts';
import { buildModelGateway, noModelConfigured } from './build-model-gateway.ts';
import { listenAdminSocket } from '../../app/http/admin-socket.ts';
import type { ClusterEndpoint } from './connect-cluster.ts';
import { createLogger } from './create-logger.ts';
import { ensureWebBundle } from './ensure-web-bundle.ts';
import { adminSocketPath, migrateLegacySettings, openAuthStore, openCluster, openKernelStores } from './jarvis-parts.ts';
import { configuredSideChannels, simulatedSideChannels } from './side-channels.ts';
import { runShutdown, type ShutdownStep } from './run-shutdown.ts';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface StartJarvisInput {
  /** `jarvis start` arguments (config flags: --config, --port, --host, --data-dir, ...). */
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Options for the embedded simulator (tests: seed, authDelayMs: 0, short task durations). */
  readonly simulator?: SimulatorOptions;
  /** Build web/dist when missing (default true; tests that need no dashboard pass false). */
  readonly buildWeb?: boolean;
  /** Default: pino on stderr at server.logLevel. */
  readonly logger?: Logger;
  /** Default true; tests building several apps in one process pass false. */
  readonly defaultMetrics?: boolean;
  /** The LLM gateway (tests inject a scripted one; absent = offline command mode until the gateway is wired here). */
  readonly modelGateway?: ModelGateway | undefined;
}

/** A listening Jarvis and everything it started. */
export interface RunningJarvis {
  /** Base URL of the dashboard and API, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly config: JarvisConfig;
  readonly jarvis: Jarvis;
  readonly admin: BootstrapAdminResult;
  readonly endpoint: ClusterEndpoint;
  /** Present when no cluster is configured (pve.url absent). */
  readonly simulator?: RunningSimulator | undefined;
  /** Closes the server, the poller, the PVE client and the simulator. Idempotent. */
  close(): Promise<void>;
}

/**
 * The whole of `jarvis start`, reusable in-process (e2e tests): load and validate the config
 * (nothing is written when it is invalid), pick the real cluster or start the embedded simulator,
 * point the real PVE client at it, build the app, listen, start the poller.
 * Fails with CONFIG_INVALID (exit 2) or another JarvisError (exit 1); never throws for those.
 */
export async function startJarvis(input: StartJarvisInput = {}): Promise<Result<RunningJarvis, JarvisError>> {
  const loaded = loadConfig({ argv: input.argv ?? [], env: input.env ?? process.env, cwd: input.cwd ?? process.cwd() });
  if (!loaded.ok) return loaded;
  const { config, rest } = loaded.value;
  if (rest.length > 0)
    return err(
      jarvisError('INVALID_INPUT', `unknown option ${rest[0]}`, {
        hint: 'jarvis start [--config FILE] [--port N] [--host ADDR] [--data-dir DIR] [--pve-url URL] [--poll-interval-ms N] [--sim-nodes N] [--sim-guests M] [--json]',
      }),
    );
  const logger = input.logger ?? createLogger(config.server.logLevel);
  for (const warning of loaded.value.warnings) logger.warn({}, warning);

  // Closed last first, each step bounded in time and named in the log (run-shutdown.ts).
  const cleanups: ShutdownStep[] = [];
  const cleanup = async (): Promise<void> => {
    await runShutdown(cleanups.splice(0), { logger });
  };
  try {
    // No model configured either: the simulator's llama-server and Claude fakes stand in ("simulated model").
    const simulateModels = config.pve.url === undefined && config.llm.enabled && noModelConfigured(config) && input.simulator?.llm === undefined;
    const cluster = await openCluster(config, { logger, simulator: { ...(simulateModels ? { llm: true } : {}), ...(input.simulator ?? {}) } });
    if (!cluster.ok) return cluster;
    cleanups.push({ name: 'cluster connection and embedded simulator', run: () => cluster.value.close() });
    const { endpoint, simulator, connection } = cluster.value;

    mkdirSync(config.paths.dataDir, { recursive: true, mode: 0o700 });
    const stores = openKernelStores(config);
    if (!stores.ok) {
      await cleanup();
      return stores;
    }
    cleanups.push({ name: 'state database', run: () => stores.value.close() });
    const auth = openAuthStore(config);
    if (!auth.ok) {
      await cleanup();
      return auth;
    }
    const authStore = auth.value;
    cleanups.push({ name: 'auth database', run: () => authStore.close() });
    // Older versions kept the AI switch in auth.db: it moves to the state DB's settings once, so an AI-off survives the upgrade.
    const migrated = await migrateLegacySettings(authStore, stores.value.settingsStore);
    if (!migrated.ok) {
      await cleanup();
      return migrated;
    }
    // Chat conversations per user (issue 11), in their own file next to the state database.
    const conversations = SqliteConversationStore.open(join(config.paths.dataDir, 'conversations.db'));
    if (!conversations.ok) {
      await cleanup();
      return conversations;
    }
    cleanups.push({ name: 'conversation database', run: () => conversations.value.close() });
    const side = simulator ? await simulatedSideChannels(simulator, config) : await configuredSideChannels(config, logger);
    cleanups.push({ name: 'SSH and Docker side channels', run: () => side.close() });

    const alerts = openAlertStore(config.paths.dataDir);
    if (!alerts.ok) {
      await cleanup();
      return alerts;
    }
    cleanups.push({ name: 'alert database', run: () => alerts.value.close() });
    const notifiers = notifiersFromConfig(config, config.notifyEnv);
    if (!notifiers.ok) {
      await cleanup();
      return notifiers;
    }
    const models = buildModelGateway(config, { simulated: simulator?.llm, log: logger });
    if (!models.ok) {
      await cleanup();
      return models;
    }
    cleanups.push({ name: 'model gateway', run: () => models.value?.close() });
    for (const problem of models.value?.problems ?? []) logger.warn({}, `llm: ${problem}`);

    const webRoot = input.buildWeb === false ? undefined : await ensureWebBundle(REPO_ROOT, logger);
    const api = connection.api;
    const jarvis = await createJarvis(
      {
        ...appOptionsFromConfig(config, {
          webRoot: webRoot ?? join(REPO_ROOT, 'web', 'dist'),
          defaultMetrics: input.defaultMetrics ?? true,
          simulated: endpoint.simulated,
        }),
        build: await buildInfo(),
      },
      {
        cluster: api,
        actuator: api,
        services: api,
        clock: { now: () => Date.now() },
        logger,
        authStore,
        audit: stores.value.audit,
        tickets: stores.value.tickets,
        settingsStore: stores.value.settingsStore,
        locks: stores.value.locks,
        memoryStore: stores.value.memory,
        shell: side.shell,
        docker: side.docker,
        alertStore: alerts.value.store,
        notifiers: notifiers.value,
        models: models.value?.handle,
        conversations: conversations.value,
        ...(input.modelGateway ? { modelGateway: input.modelGateway } : {}),
        newId: () => randomUUID(),
      },
    );
    cleanups.push({ name: 'HTTP server, WebSockets, poller and monitor', run: () => jarvis.close() });
    const address = await jarvis.http.listen({ host: config.server.host, port: config.server.port });
    // `jarvis approve` / `freeze` / `unfreeze` reach this server through its admin socket (src/app/http/admin-socket.ts).
    const adminSocket = await listenAdminSocket(jarvis.http, adminSocketPath(config), config.paths.dataDir);
    if (!adminSocket.ok) {
      await cleanup();
      return adminSocket;
    }
    cleanups.push({ name: 'admin socket', run: () => adminSocket.value.close() });
    jarvis.start();
    const url = displayUrl(address);
    logger.info(
      {
        url,
        simulated: endpoint.simulated,
        pve: endpoint.url,
        models: models.value ? (models.value.simulated ? 'simulated model' : jarvis.models?.gateway.status().mode) : 'none',
      },
      'jarvis listening',
    );
    if (!['127.0.0.1', '::1', 'localhost'].includes(config.server.host)) {
      logger.warn(
        { host: config.server.host },
        'listening beyond loopback over plain http: put a TLS reverse proxy in front and list its origin in server.allowedOrigins',
      );
    }
    let closing: Promise<void> | undefined;
    return ok({ url, config, jarvis, admin: jarvis.admin, endpoint, simulator, close: () => (closing ??= cleanup()) });
  } catch (error) {
    await cleanup();
    const failure = toJarvisError(error);
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    return err(
      inUse
        ? jarvisError('INVALID_INPUT', `port ${config.server.port} on ${config.server.host} is already in use`, {
            hint: 'set server.port (or --port / JARVIS_SERVER_PORT)',
          })
        : failure,
    );
  }
}

/** Fastify's listen address as a URL a human can open (0.0.0.0 / :: shown as 127.0.0.1). */
function displayUrl(address: string): string {
  return address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://127.0.0.1');
}

/** `jarvis_build_info`: the package version (package.json at the repository root) and Node's. */
async function buildInfo(): Promise<{ version: string; node: string }> {
  const text = await readFile(join(REPO_ROOT, 'package.json'), 'utf8').catch(() => '{}');
  const parsed = JSON.parse(text) as { version?: unknown };
  return { version: typeof parsed.version === 'string' ? parsed.version : 'unknown', node: process.versions.node };
}
