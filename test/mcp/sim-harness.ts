/**
 * The whole tool path against the embedded simulator, with real adapters: PVE client (HTTPS,
 * pinned), SSH runner (ssh2, pinned host keys) to the simulated sshd per node, Docker adapter to
 * the simulated Engine API, the real guarded executor (SQLite :memory: stores) and /mcp mounted
 * with the /mcp plugin on a Fastify server on 127.0.0.1. Used by the MCP simulator suites and the bench.
 */
import { createEventBus } from '../../src/app/events/event-bus.ts';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { createDockerApi } from '../../src/adapters/docker/index.ts';
import { openDatabase } from '../../src/adapters/sqlite/open-database.ts';
import { SqliteAuditLog } from '../../src/adapters/sqlite/sqlite-audit-log.ts';
import { SqliteSettingsStore } from '../../src/adapters/sqlite/sqlite-settings-store.ts';
import { SqliteTicketStore } from '../../src/adapters/sqlite/sqlite-ticket-store.ts';
import { SshShellRunner } from '../../src/adapters/ssh/index.ts';
import { routeRunners } from '../../src/app/actions/action-runner.ts';
import { createGuardedExecutor } from '../../src/app/actions/execute-action.ts';
import { InMemoryNodeLocks } from '../doubles/in-memory-node-locks.ts';
import { guestPowerRunner, pveServiceRunner } from '../../src/app/actions/pve-runners.ts';
import { mcpHttpPlugin } from '../../src/app/mcp/mcp-http-plugin.ts';
import { toolContextFactory } from '../../src/app/mcp/mount-mcp.ts';
import { dockerActionRunner, shellRemediationRunner } from '../../src/app/tools/action-runners.ts';
import type { ToolTimeouts } from '../../src/app/tools/tool-context.ts';
import { connectCluster } from '../../src/cli/compose/connect-cluster.ts';
import { SEED_TOPOLOGY } from '../../src/core/domain/topology.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { startSimDockerApi } from '../../src/sim/docker/index.ts';
import { startSimulator } from '../../src/sim/index.ts';
import { startSimSshServers } from '../../src/sim/ssh/index.ts';
import { TOKENS } from './start-mcp-test-server.ts';

export interface SimHarnessOptions {
  readonly timeouts?: Partial<ToolTimeouts>;
  /** PVE client deadline per call (ms). */
  readonly pveTimeoutMs?: number;
  readonly scenario?: string;
}

export async function startSimHarness(options: SimHarnessOptions = {}) {
  const sim = await startSimulator({
    seed: 1,
    authDelayMs: 0,
    taskDurationMs: 50,
    metricsIntervalMs: 0,
    ...(options.scenario ? { scenario: options.scenario } : {}),
  });
  const docker = await startSimDockerApi(sim.world);
  const ssh = await startSimSshServers(sim.world);
  const connection = connectCluster(
    {
      url: sim.url,
      auth: { kind: 'token', tokenId: sim.tokenId, tokenSecret: sim.tokenSecret },
      fingerprint: sim.fingerprint,
      insecure: false,
      simulated: true,
    },
    { timeoutMs: options.pveTimeoutMs ?? 2000, logger: silentLogger },
  );
  if (!connection.ok) throw new Error(connection.error.message);
  const api = connection.value.api;
  const nodes = Object.fromEntries(Object.entries(ssh.ports).map(([node, port]) => [node, { host: '127.0.0.1', port }]));
  const shell = new SshShellRunner({ nodes, privateKey: ssh.clientKey.privateKey, knownHosts: ssh.knownHosts, timeoutMs: 3000 });
  const dockerApi = createDockerApi({ hosts: docker.urls, timeoutMs: 2000 });
  if (!dockerApi.ok) throw new Error(dockerApi.error.message);

  const audit = SqliteAuditLog.open(':memory:');
  if (!audit.ok) throw new Error(audit.error.message);
  const state = openDatabase(':memory:');
  const clock = { now: () => Date.now() };
  // The domain event stream the executor publishes to (ticket.opened carries the notification text).
  const events = createEventBus(silentLogger);
  const tickets = new SqliteTicketStore(state);
  const findGuest = async (vmid: number) => {
    const snapshot = await api.readSnapshot();
    return snapshot.ok ? snapshot.value.guests.find((guest) => guest.vmid === vmid) : undefined;
  };
  const power = guestPowerRunner(api, findGuest, { deadlineMs: 10_000 });
  const containers = dockerActionRunner(dockerApi.value);
  const executor = createGuardedExecutor({
    readSnapshot: () => api.readSnapshot(),
    topology: SEED_TOPOLOGY,
    locks: new InMemoryNodeLocks(),
    audit: audit.value,
    tickets,
    settings: new SqliteSettingsStore(state),
    runner: routeRunners({
      'guest.start': power,
      'guest.stop': power,
      'guest.shutdown': power,
      'guest.reboot': power,
      'service.restart': pveServiceRunner(api, api, { deadlineMs: 10_000 }),
      'container.start': containers,
      'container.stop': containers,
      'container.restart': containers,
      'cleanup.temp': shellRemediationRunner(shell, clock),
    }),
    clock,
    newId: () => randomUUID(),
    events,
    actTimeoutMs: 15_000,
  });

  const app = Fastify({ logger: false });
  // Standalone /mcp (its own Host/Origin/bearer checks), with the same tool context Jarvis mounts.
  const contextFor = toolContextFactory({
    cluster: api,
    shell,
    docker: dockerApi.value,
    executor,
    clock,
    topology: SEED_TOPOLOGY,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
  });
  await app.register(mcpHttpPlugin, { authenticateToken: (token) => TOKENS[token], contextFor: (_principal, actor) => contextFor(actor) });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    sim,
    ssh,
    docker,
    executor,
    /** The real adapters the tools use (for probes and direct checks). */
    api,
    shell,
    dockerApi: dockerApi.value,
    audit: audit.value,
    tickets,
    events,
    url: new URL(`${address}/mcp`),
    async close() {
      await app.close();
      connection.value.close();
      await ssh.close();
      await docker.close();
      await sim.close();
    },
  };
}
