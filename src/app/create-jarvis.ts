import type { FastifyInstance } from 'fastify';
import { jarvisError, JarvisException } from '../core/errors.ts';
import type { EventBus } from '../core/ports/events.ts';
import type { GuardedExecutor } from './actions/execute-action.ts';
import { missingPorts, type AppOptions, type JarvisPorts } from './app-options.ts';
import { AuthService } from './auth/auth-service.ts';
import { bootstrapAdmin, type BootstrapAdminResult } from './auth/bootstrap-admin.ts';
import { buildExecutor } from './build-executor.ts';
import { createEventBus } from './events/event-bus.ts';
import { connectHubFeed, taskDtoOf } from './events/hub-feed.ts';
import { connectEventLogs } from './events/log-events.ts';
import { publishingAuditLog } from './events/publishing-audit-log.ts';
import { publishingSettings } from './events/publishing-settings.ts';
import { RecentEventLog } from './events/recent-event-log.ts';
import { watchTicketExpiry } from './events/ticket-expiry.ts';
import { buildHttpServer } from './http/build-http-server.ts';
import type { HttpServerDeps } from './http/http-deps.ts';
import { approvalDto } from './http/kernel-dto.ts';
import { kernelFreezeSwitch } from './http/kernel-freeze-switch.ts';
import { auditLogQuery, executorActionService, ticketApprovalsService } from './http/kernel-service-factories.ts';
import { createJarvisMetrics, type JarvisMetrics } from './http/jarvis-metrics.ts';
import { clusterHistory, NoModelChat } from './http/no-model-chat.ts';
import { PersistedSettingsStore } from './http/persisted-settings-store.ts';
import { mountMcp } from './mcp/mount-mcp.ts';
import { createPoller, type Poller } from './monitor/poller.ts';
import { pollerHealth } from './monitor/poller-views.ts';
import { createTaskTracker } from './tasks/task-tracker.ts';
import { auditReadToolCalls } from './tools/audit-tool-calls.ts';
import { ALL_TOOLS } from './tools/index.ts';
import { createToolHealth } from './tools/tool-health.ts';
import { createWsHub } from './ws/create-ws-hub.ts';
import { connectPollerFeed } from './ws/poller-feed.ts';
import type { WsHub } from './ws/ws-hub.ts';

/** A built Jarvis: HTTP server built but NOT listening, poller not started. */
export interface Jarvis {
  readonly http: FastifyInstance;
  readonly poller: Poller;
  readonly metrics: JarvisMetrics;
  /** The events feed (GET /api/events). */
  readonly events: RecentEventLog;
  /** The domain event stream (src/core/ports/events.ts): subscribe here (chat, monitor, notifiers). */
  readonly bus: EventBus;
  readonly hub: WsHub;
  /** The guarded executor: the one path that acts. */
  readonly executor: GuardedExecutor;
  /** First-start admin credentials: `generatedPassword` is set only when one was generated now. */
  readonly admin: BootstrapAdminResult;
  /** Starts the long-lived loops (poller, ...). The caller listens on `http` itself. */
  start(): void;
  /** Stops every loop and closes the HTTP server (and its sockets). Idempotent. */
  close(): Promise<void>;
}

/**
 * The composition of the app from plain options and ports. `jarvis start` calls it from
 * src/cli/compose/start-jarvis.ts with every port; a missing one is a CONFIG_INVALID error naming it
 * (exit 2), never a silent in-memory stand-in.
 * Keep it a flat list of numbered steps: each engineer adds their step without touching others.
 * Facts travel one way (docs/architecture.md): executor / ticket watch / audit log / poller / task
 * tracker / switches publish on `bus`; the hub feed, the logs and the metrics subscribe.
 */
export async function createJarvis(options: AppOptions, ports: JarvisPorts): Promise<Jarvis> {
  const missing = missingPorts(ports);
  if (missing.length > 0) {
    throw new JarvisException(jarvisError('CONFIG_INVALID', `Jarvis cannot start without: ${missing.join(', ')}`, { hint: 'src/cli/compose/start-jarvis.ts passes every port of JarvisPorts (src/app/app-options.ts)' }));
  }
  const { clock, logger } = ports;

  // 1. Metrics (one registry per app) and the domain event stream, with its log and metric subscribers.
  const metrics = createJarvisMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const bus = createEventBus(logger);
  const offLogs = connectEventLogs(bus, logger, (name) => metrics.domainEvents.inc({ event: name }));
  // Every audit row written by anyone is published once, where it is written.
  const audit = publishingAuditLog(ports.audit, bus);

  // 2. Poller: full-state reads on an interval. Its feed publishes deltas/health to the WebSocket hub
  //    (created in step 5), `cluster.changed` on the bus, and records poll metrics.
  const poller = createPoller({ cluster: ports.cluster, clock, logger }, options.poll);
  const events = new RecentEventLog(1000);
  let hub: WsHub | undefined;
  const feed = connectPollerFeed(poller, { publish: (message) => hub?.publish(message), events: bus, metrics });

  // 2b. Tasks: the cluster's recent PVE tasks and Jarvis's own, read after each poll and followed
  //     closely while one runs; a guest's task ending refreshes the cluster at once.
  const tasks = createTaskTracker({ cluster: ports.cluster, events: bus, clock, logger, refresh: () => void poller.tick() });
  const offTasks = bus.on('cluster.changed', () => void tasks.sync());

  // 3. Auth: users/sessions/tokens; the admin exists from the first start.
  const auth = new AuthService(ports.authStore, clock, { sessionTtlMs: options.server.sessionTtlMs });
  const admin = await bootstrapAdmin(auth, { password: options.admin.password, passwordFile: options.admin.passwordFile });

  // 4. The guarded executor: every act (MCP, chat, dashboard, monitor) goes through it.
  const executor = buildExecutor(options, ports, { audit, events: bus });
  const offExpiry = watchTicketExpiry({ events: bus, tickets: ports.tickets, clock });

  // 4b. Services behind the HTTP API over the kernel (actions, approvals queue, audit log), the
  //     emergency stop (the row decide() reads) and the runtime settings. None publishes for anyone:
  //     the facts come from the bus.
  const kernelDeps = { executor, tickets: ports.tickets, clock };
  const approvals = ticketApprovalsService(kernelDeps);
  const freeze = kernelFreezeSwitch(ports.freezeStore, clock, (state) => bus.publish('freeze.changed', { frozen: state.frozen, by: state.by ?? 'system', reason: state.reason, at: state.since ?? clock.now() }), audit);
  const settings = publishingSettings(new PersistedSettingsStore(ports.authStore), bus, clock);
  // config llm.enabled: false switches the AI off at every start (an admin may switch it on at run time).
  if (options.aiEnabled === false) settings.update({ aiEnabled: false }, 'system:config');

  // 5. WebSocket hub: snapshot first (with the recent tasks), then the poller feed's and the bus's frames.
  hub = createWsHub({ clock, state: feed.stateReader, freeze, settings, approvals, tasks: () => tasks.list().map(taskDtoOf) }, { clock, logger, metrics }, { maxClients: options.server.maxWsClients });
  const wsHub = hub;
  const offHub = connectHubFeed({
    events: bus,
    publish: (message) => wsHub.publish(message),
    appendEvent: (event) => events.append(event),
    approvalOf: async (ticketId, status) => {
      const found = await ports.tickets.get(ticketId);
      if (!found.ok || !found.value) return undefined;
      const planned = status === 'pending' ? await executor.plan(found.value.action) : undefined;
      return approvalDto(found.value, planned?.ok ? planned.value : undefined, status);
    },
    settings: () => settings.get(),
    onTicketsChanged: () => void approvals.refreshCount(),
  });
  void approvals.refreshCount();

  const deps: HttpServerDeps = {
    clock,
    logger,
    auth,
    state: feed.stateReader,
    history: clusterHistory(ports.cluster),
    audit: auditLogQuery(audit),
    approvals,
    actions: executorActionService(kernelDeps),
    freeze,
    settings,
    events,
    chat: new NoModelChat(),
    // PVE from the poller; SSH/Docker probed (cached) by the tools' health; names the tools a down dependency disables.
    health: createToolHealth({ base: pollerHealth(poller), tools: ALL_TOOLS, shell: ports.shell, sshNodes: options.sshNodes ?? options.topology.nodes.map((node) => node.name), docker: ports.docker, clock }),
    hub,
    metrics,
    tasks: () => tasks.list().map(taskDtoOf),
  };

  // 6. HTTP server (built, not listening); 7. MCP over HTTP at /mcp, inside the same authenticated
  //    scope as /api, /ws and /metrics (tools act only through the executor).
  const http = await buildHttpServer(deps, {
    allowedOrigins: options.server.allowedOrigins,
    allowedHosts: options.allowedHosts ?? [],
    secureCookies: options.server.secureCookies,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    protectedPlugins: [
      (scope) => mountMcp(scope, {
        cluster: ports.cluster,
        shell: ports.shell,
        docker: ports.docker,
        executor,
        snapshot: () => poller.current().snapshot,
        clock,
        topology: options.topology,
        timeouts: options.toolTimeouts,
        // Reads are audited after they ran (acts are audited by the executor, decision row first).
        onToolCall: auditReadToolCalls(audit, clock, logger),
      }),
    ],
  });

  let closed: Promise<void> | undefined;
  return {
    http,
    poller,
    metrics,
    events,
    bus,
    hub,
    executor,
    admin,
    start() {
      poller.start();
    },
    close() {
      closed ??= (async () => {
        await poller.stop();
        feed.unsubscribe();
        offTasks();
        await tasks.stop();
        offExpiry();
        offHub();
        offLogs();
        await wsHub.close();
        await http.close();
      })();
      return closed;
    },
  };
}
