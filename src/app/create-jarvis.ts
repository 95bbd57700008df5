import type { FastifyInstance } from 'fastify';
import { guestTypeIn } from '../core/domain/guest-name.ts';
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
import { RecentEventLog } from './events/recent-event-log.ts';
import { createClusterLogReader } from './events/cluster-log-reader.ts';
import { watchTicketExpiry } from './events/ticket-expiry.ts';
import { buildHttpServer } from './http/build-http-server.ts';
import type { HttpServerDeps } from './http/http-deps.ts';
import { approvalDto } from './http/kernel-dto.ts';
import { kernelFreezeSwitch } from './http/kernel-freeze-switch.ts';
import { auditLogQuery, executorActionService, ticketApprovalsService } from './http/kernel-service-factories.ts';
import { createJarvisMetrics, type JarvisMetrics } from './http/jarvis-metrics.ts';
import { connectDomainMetrics } from './http/domain-metrics.ts';
import { clusterHistory } from './http/no-model-chat.ts';
import { loadRuntimeSettings } from './http/runtime-settings.ts';
import { aiStatusOf } from './http/ai-status.ts';
import { mountMcp } from './mcp/mount-mcp.ts';
import { createPoller, type Poller } from './monitor/poller.ts';
import { pollerHealth } from './monitor/poller-views.ts';
import { createTaskTracker } from './tasks/task-tracker.ts';
import { createBackupCatalog } from './backups/backup-catalog.ts';
import { lastBackupsFrom } from './backups/last-backups.ts';
import { auditToolCalls } from './tools/audit-tool-calls.ts';
import { buildChatAgent } from './agent/build-chat-agent.ts';
import { toolContextFactory } from './mcp/mount-mcp.ts';
import { createChatSocketHandler } from './ws/chat-socket.ts';
import { MemoryService } from './memory/memory-service.ts';
import { memoryRoutes } from './memory/memory-routes.ts';
import { buildMonitor } from './monitor/build-monitor.ts';
import type { Monitor } from './monitor/monitor.ts';
import { alertRoutes } from './http/routes/alert-routes.ts';
import { registerLlmMetrics } from './llm/llm-metrics.ts';
import type { ModelGatewayHandle } from './llm/create-model-gateway.ts';
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
  /** The monitor (rules, alerts, autonomy, notifications), when options.monitor is set. */
  readonly monitor: Monitor | undefined;
  /** Memory (when a memory store is wired): /api/memory, events from the bus, memory in chat prompts. */
  readonly memory: MemoryService | undefined;
  /** The model gateway when one is wired (chat, monitor analysis call `models.gateway`). */
  readonly models: ModelGatewayHandle | undefined;
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
    throw new JarvisException(
      jarvisError('CONFIG_INVALID', `Jarvis cannot start without: ${missing.join(', ')}`, {
        hint: 'src/cli/compose/start-jarvis.ts passes every port of JarvisPorts (src/app/app-options.ts)',
      }),
    );
  }
  const { clock, logger } = ports;

  // 1. Metrics (one registry per app) and the domain event stream, with its log and metric subscribers.
  const metrics = createJarvisMetrics({ defaultMetrics: options.defaultMetrics ?? true, build: options.build });
  const bus = createEventBus(logger);
  const offLogs = connectEventLogs(bus, logger, (name) => metrics.domainEvents.inc({ event: name }));
  // 1b. Actions by kind/verdict, tickets, alerts: counted from the bus (src/app/http/domain-metrics.ts).
  const domainMetrics = connectDomainMetrics(bus, metrics.registry);
  // Every audit row written by anyone is published once, where it is written.
  const audit = publishingAuditLog(ports.audit, bus);

  // 2. Poller: full-state reads on an interval. Its feed publishes deltas/health to the WebSocket hub
  //    (created in step 5), `cluster.changed` on the bus, and records poll metrics.
  const poller = createPoller({ cluster: ports.cluster, clock, logger }, options.poll);
  const events = new RecentEventLog(1000);
  let hub: WsHub | undefined;
  const feed = connectPollerFeed(poller, { publish: (message) => hub?.publish(message), events: bus, metrics, precision: options.deltaPrecision });

  // 2b. Tasks: the cluster's recent PVE tasks and Jarvis's own, read after each poll and followed
  //     closely while one runs; a guest's task ending refreshes the cluster at once.
  const tasks = createTaskTracker({ cluster: ports.cluster, events: bus, clock, logger, refresh: () => void poller.tick() });
  const offTasks = bus.on('cluster.changed', () => void tasks.sync());

  // 2c. Backups: vzdump archives on the backup storages, listed on demand (GET /api/backups) at most
  //     every 10 min, or after a vzdump task ended; one listing per shared storage. Never on a poll.
  const backups = createBackupCatalog({ cluster: ports.cluster, snapshot: () => poller.current().snapshot, clock, logger });
  const offBackups = backups.subscribe(bus);

  // 3. Auth: users/sessions/tokens; the admin exists from the first start.
  const auth = new AuthService(ports.authStore, clock, { sessionTtlMs: options.server.sessionTtlMs });
  const admin = await bootstrapAdmin(auth, { password: options.admin.password, passwordFile: options.admin.passwordFile });

  // 4. The guarded executor: every act (MCP, chat, dashboard, monitor) goes through it.
  const executor = buildExecutor(options, ports, { audit, events: bus });
  const offExpiry = watchTicketExpiry({ events: bus, tickets: ports.tickets, clock });

  // 4b. Services behind the HTTP API over the kernel (actions, approvals queue, audit log), the
  //     emergency stop (the row decide() reads) and the runtime settings. None publishes for anyone:
  //     the facts come from the bus.
  const kernelDeps = { executor, tickets: ports.tickets, clock, audit };
  const approvals = ticketApprovalsService(kernelDeps);
  const freeze = kernelFreezeSwitch(
    ports.settingsStore,
    clock,
    (state) => bus.publish('freeze.changed', { frozen: state.frozen, by: state.by ?? 'system', reason: state.reason, at: state.since ?? clock.now() }),
    audit,
  );
  const settings = await loadRuntimeSettings({ store: ports.settingsStore, audit, events: bus, clock, logger });
  // config llm.enabled: false switches the AI off at every start (an admin may switch it on at run time).
  if (options.aiEnabled === false) {
    const off = await settings.update({ aiEnabled: false }, { kind: 'system', id: 'config' });
    if (!off.ok) throw new Error(`llm.enabled: false could not switch the AI off: ${off.error.message}`);
  }

  // 5. WebSocket hub: snapshot first (with the recent tasks and the truthful AI status), then the poller feed's and the bus's frames.
  const selfChain = {
    container: options.topology.self.container,
    dockerHost: options.topology.self.dockerHost,
    vmid: options.topology.self.vmid,
    vmName: options.topology.self.vmName,
    node: options.topology.self.node,
  };
  const chatGateway = ports.modelGateway ?? ports.models?.gateway;
  const aiStatus = () => aiStatusOf(settings.get().aiEnabled, chatGateway?.status());
  hub = createWsHub(
    { clock, state: feed.stateReader, freeze, settings, approvals, tasks: () => tasks.list().map(taskDtoOf), self: selfChain, aiStatus },
    { clock, logger, metrics },
    { maxClients: options.server.maxWsClients },
  );
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

  // 5b. Monitor: rules over each poll and the bus, alerts (store + WS), notifications, playbooks
  //     through the executor (actor = monitor), analysis on the model gateway (background class).
  const monitor = options.monitor
    ? buildMonitor(
        options.monitor,
        { ...ports, audit, bus, gateway: ports.gateway ?? ports.modelGateway ?? ports.models?.gateway },
        {
          poller,
          executor,
          publish: (frame) => wsHub.publish(frame),
          // backup-overdue also knows the archives in PVE storage (2c's catalog, on its own cadence).
          backups: lastBackupsFrom(backups),
          // Memory in the analysis prompt (5c builds it below; read when an incident is analysed).
          memory: { selectForPrompt: (request) => (memory ? memory.selectForPrompt(request) : Promise.resolve({ text: '' })) },
        },
      )
    : undefined;

  // 5c. Memory: /api/memory behind the auth, events recorded from the bus, daily consolidation, and
  //     the memory share of each chat prompt (framed, cut to the budget).
  const memory = ports.memoryStore
    ? new MemoryService({ store: ports.memoryStore, clock, audit, logger, snapshot: () => poller.current().snapshot ?? null, newId: ports.newId })
    : undefined;
  const offMemory = memory?.subscribe(bus);
  let stopMemory: (() => void) | undefined;

  // 5d. The chat agent: the gateway when configured (else offline command mode), the same tools,
  //     executor and write-ahead audit as MCP, actor = the model (or the human in offline mode).
  // One set of tool dependencies for chat and MCP: every call (read or act, refused input included)
  // is audited before its answer leaves (write-ahead).
  const toolDeps = {
    cluster: ports.cluster,
    shell: ports.shell,
    docker: ports.docker,
    executor,
    snapshot: () => poller.current().snapshot,
    clock,
    topology: options.topology,
    timeouts: options.toolTimeouts,
    onToolCall: auditToolCalls(audit, clock, logger, (vmid) => guestTypeIn(poller.current().snapshot?.guests, vmid)),
  };
  const chatToolContext = toolContextFactory(toolDeps);
  const chat = buildChatAgent({
    gateway: chatGateway,
    conversations: ports.conversations,
    toolContext: chatToolContext,
    snapshot: () => poller.current().snapshot,
    docker: ports.docker,
    dockerHost: options.topology.self.dockerHost,
    approvals,
    freeze,
    aiEnabled: () => settings.get().aiEnabled,
    clock,
    newId: ports.newId,
    fastPath: options.chat?.fastPath,
    limits: {
      ...(options.chat?.maxStepsLocal !== undefined ? { maxStepsLocal: options.chat.maxStepsLocal } : {}),
      ...(options.chat?.maxStepsCloud !== undefined ? { maxStepsCloud: options.chat.maxStepsCloud } : {}),
      ...(options.chat?.turnTimeoutMs !== undefined ? { turnTimeoutMs: options.chat.turnTimeoutMs } : {}),
    },
    ...(memory
      ? {
          contextProviders: [
            async (request) => {
              const selected = await memory.selectForPrompt({ text: request.text, budgetTokens: request.budgetTokens });
              return selected.text ? [selected.text] : [];
            },
          ],
        }
      : {}),
    // "remember …" / "forget …" typed in chat: the memory service answers (poisoning check first), no model.
    ...(memory ? { memoryCommands: (text: string, from: { principal: string; conversationId: string }) => memory.handleChatCommand(text, from) } : {}),
  });

  const deps: HttpServerDeps = {
    clock,
    logger,
    auth,
    state: feed.stateReader,
    history: clusterHistory(ports.cluster),
    guestDetail: ports.cluster,
    backups,
    // PVE's cluster log and running tasks' last log lines, on demand (10 s / 5 s cache), never on a poll.
    clusterLog: createClusterLogReader({ cluster: ports.cluster, clock }),
    audit: auditLogQuery(audit),
    approvals,
    actions: executorActionService(kernelDeps),
    freeze,
    settings,
    events,
    chat,
    chatSocket: createChatSocketHandler({ chat, clock, logger, maxSockets: options.server.maxWsClients }),
    // PVE from the poller; SSH/Docker probed (cached) by the tools' health; names the tools a down dependency disables.
    health: createToolHealth({
      base: pollerHealth(poller),
      tools: ALL_TOOLS,
      shell: ports.shell,
      sshNodes: options.sshNodes ?? options.topology.nodes.map((node) => node.name),
      docker: ports.docker,
      clock,
      onProbe: (dependency, seconds) => metrics.dependencyLatency.observe({ dependency }, seconds),
    }),
    hub,
    metrics,
    tasks: () => tasks.list().map(taskDtoOf),
    aiStatus,
    // Dashboard: Jarvis's own chain (container -> Docker host -> VM -> node), drawn as protected.
    self: selfChain,
  };

  // 6. HTTP server (built, not listening); 7. MCP over HTTP at /mcp, inside the same authenticated
  //    scope as /api, /ws and /metrics (tools act only through the executor).
  const http = await buildHttpServer(deps, {
    allowedOrigins: options.server.allowedOrigins,
    allowedHosts: options.allowedHosts ?? [],
    secureCookies: options.server.secureCookies,
    ...(options.server.trustProxy !== undefined ? { trustProxy: options.server.trustProxy } : {}),
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    protectedPlugins: [
      ...(memory ? [memoryRoutes(memory)] : []),
      ...(monitor ? [alertRoutes(monitor, () => clock.now())] : []),
      (scope) => mountMcp(scope, toolDeps),
    ],
  });

  // 8. Models: the gateway's /metrics series; capacity probe and canary start with the app.
  if (ports.models) {
    const models = ports.models;
    models.subscribe(
      registerLlmMetrics(
        metrics.registry,
        () => models.stats(),
        () => clock.now(),
        () => models.capacity(),
        metrics.dependencyLatency,
      ),
    );
  }

  let closed: Promise<void> | undefined;
  return {
    http,
    poller,
    metrics,
    events,
    bus,
    hub,
    executor,
    monitor,
    memory,
    models: ports.models,
    admin,
    start() {
      poller.start();
      monitor?.start();
      void ports.models?.start().catch((error: unknown) => logger.warn({ error: String(error) }, 'llm: gateway start failed'));
      stopMemory = memory?.start();
    },
    close() {
      closed ??= (async () => {
        await monitor?.stop();
        await poller.stop();
        ports.models?.stop();
        stopMemory?.();
        offMemory?.();
        feed.unsubscribe();
        offTasks();
        offBackups();
        await tasks.stop();
        offExpiry();
        offHub();
        offLogs();
        domainMetrics.close();
        await wsHub.close();
        await http.close();
      })();
      return closed;
    },
  };
}
