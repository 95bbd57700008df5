import type { FastifyInstance } from 'fastify';
import type { GuardedExecutor } from './actions/execute-action.ts';
import type { AppOptions, JarvisPorts } from './app-options.ts';
import { AuthService } from './auth/auth-service.ts';
import { bootstrapAdmin, type BootstrapAdminResult } from './auth/bootstrap-admin.ts';
import { MemoryAuthStore } from './auth/memory-auth-store.ts';
import { buildExecutor } from './build-executor.ts';
import { buildHttpServer } from './http/build-http-server.ts';
import type { FreezeSwitch, HttpServerDeps } from './http/http-deps.ts';
import { kernelFreezeSwitch } from './http/kernel-freeze-switch.ts';
import { kernelHttpServices } from './http/kernel-services.ts';
import { createJarvisMetrics, type JarvisMetrics } from './http/jarvis-metrics.ts';
import {
  clusterHistory, MemoryApprovals, MemoryAuditQuery, MemoryEventLog, MemoryFreezeSwitch, MemorySettingsStore, RecordingActionService,
} from './http/memory-services.ts';
import { PersistedSettingsStore } from './http/persisted-settings-store.ts';
import { mountMcp } from './mcp/mount-mcp.ts';
import { MemoryService } from './memory/memory-service.ts';
import { memoryRoutes } from './memory/memory-routes.ts';
import { createPoller, type Poller } from './monitor/poller.ts';
import { buildMonitor } from './monitor/build-monitor.ts';
import type { Monitor } from './monitor/monitor.ts';
import { alertRoutes } from './http/routes/alert-routes.ts';
import { pollerHealth } from './monitor/poller-views.ts';
import { auditToolCalls } from './tools/audit-tool-calls.ts';
import { buildChatAgent } from './agent/build-chat-agent.ts';
import { toolContextFactory } from './mcp/mount-mcp.ts';
import { createChatSocketHandler } from './ws/chat-socket.ts';
import { ALL_TOOLS } from './tools/index.ts';
import { createToolHealth } from './tools/tool-health.ts';
import { createWsHub } from './ws/create-ws-hub.ts';
import { registerLlmMetrics } from './llm/llm-metrics.ts';
import type { ModelGatewayHandle } from './llm/create-model-gateway.ts';
import { connectPollerFeed } from './ws/poller-feed.ts';
import type { WsHub } from './ws/ws-hub.ts';

/** A built Jarvis: HTTP server built but NOT listening, poller not started. */
export interface Jarvis {
  readonly http: FastifyInstance;
  readonly poller: Poller;
  readonly metrics: JarvisMetrics;
  readonly events: MemoryEventLog;
  readonly hub: WsHub;
  /** The guarded executor (the one path that acts), when the kernel's stores were provided. */
  readonly executor: GuardedExecutor | undefined;
  /** The monitor (rules, alerts, autonomy, notifications), when options.monitor is set. */
  readonly monitor: Monitor | undefined;
  /** Memory (when a memory store is wired): the chat agent calls selectForPrompt / handleChatCommand. */
  readonly memory: MemoryService | undefined;
  /** First-start admin credentials: `generatedPassword` is set only when one was generated now. */
  readonly admin: BootstrapAdminResult;
  /** The model gateway when one is wired (chat, monitor analysis, memory call `models.gateway`). */
  readonly models: ModelGatewayHandle | undefined;
  /** Starts the long-lived loops (poller, ...). The caller listens on `http` itself. */
  start(): void;
  /** Stops every loop and closes the HTTP server (and its sockets). Idempotent. */
  close(): Promise<void>;
}

/**
 * The composition of the app from plain options and ports. Tests call it with the simulator-backed
 * PVE client or fakes; `jarvis start` calls it from src/cli/compose/start-jarvis.ts.
 * Keep it a flat list of numbered steps: each engineer adds their step without touching others.
 */
export async function createJarvis(options: AppOptions, ports: JarvisPorts): Promise<Jarvis> {
  const { clock, logger } = ports;

  // 1. Metrics (one registry per app).
  const metrics = createJarvisMetrics({ defaultMetrics: options.defaultMetrics ?? true });

  // 2. Poller: full-state reads on an interval. Its feed publishes deltas/events/health to the
  //    WebSocket hub (created in step 5), stores events for GET /api/events and records poll metrics.
  const poller = createPoller({ cluster: ports.cluster, clock, logger }, options.poll);
  const events = new MemoryEventLog(1000);
  let hub: WsHub | undefined;
  const feed = connectPollerFeed(poller, {
    publish: (message) => hub?.publish(message),
    appendEvent: (event) => events.append(event),
    metrics,
    // Re-read the persisted emergency stop each poll: a `jarvis freeze` from the CLI reaches the dashboard.
    afterPoll: () => void freeze.get(),
    precision: options.deltaPrecision,
  });

  // 3. Auth: users/sessions/tokens; the admin exists from the first start.
  const auth = new AuthService(ports.authStore ?? new MemoryAuthStore(), clock, { sessionTtlMs: options.server.sessionTtlMs });
  const admin = await bootstrapAdmin(auth, { password: options.admin.password, passwordFile: options.admin.passwordFile });

  // 4. The guarded executor: every act (MCP, chat, dashboard, monitor) goes through it.
  const executor = buildExecutor(options, ports);

  // 4b. Services behind the HTTP API: the kernel's (actions, approvals queue, audit log) when the
  //     executor exists, in-memory stand-ins otherwise (tests without stores; chat until the LLM issue).
  const kernel = executor && ports.tickets && ports.audit
    ? kernelHttpServices({ executor, tickets: ports.tickets, audit: ports.audit, clock, cluster: ports.cluster, publish: (message) => hub?.publish(message), appendEvent: (event) => events.append(event) })
    : undefined;
  const approvals = kernel?.approvals ?? new MemoryApprovals(clock);
  // The emergency stop: the kernel's persisted switch (the row decide() reads) when provided.
  const freeze: FreezeSwitch = ports.freezeStore
    ? kernelFreezeSwitch(ports.freezeStore, clock, (state) => hub?.publish({ type: 'freeze-change', payload: state }), ports.audit)
    : new MemoryFreezeSwitch(clock);
  // Runtime settings (AI on/off): persisted in the auth database when there is one.
  const settings = ports.authStore?.writeSetting ? new PersistedSettingsStore(ports.authStore) : new MemorySettingsStore();
  // config llm.enabled: false switches the AI off at every start (an admin may switch it on at run time).
  if (options.aiEnabled === false) settings.update({ aiEnabled: false });

  // 5. WebSocket hub: snapshot first, then the poller feed's frames.
  const selfChain = { container: options.topology.self.container, dockerHost: options.topology.self.dockerHost, vmid: options.topology.self.vmid, vmName: options.topology.self.vmName, node: options.topology.self.node };
  hub = createWsHub({ clock, state: feed.stateReader, freeze, settings, approvals, self: selfChain }, { clock, logger, metrics }, { maxClients: options.server.maxWsClients });

  // 5b. Monitor: rules over each poll, alerts (store + WS), notifications, playbooks through the executor.
  const monitor = options.monitor
    ? buildMonitor(options.monitor, { ...ports, gateway: ports.gateway ?? ports.models?.gateway }, { poller, executor, publish: (frame) => hub?.publish(frame) })
    : undefined;
  // 5b. The chat agent (issue 11): the gateway when configured (else offline command mode), the same
  //     tools, executor and read audit as MCP, actor = the model (or the human in offline mode).
  const chatToolContext = toolContextFactory({
    cluster: ports.cluster,
    shell: ports.shell,
    docker: ports.docker,
    executor: executor ?? { propose: async () => ({ status: 'denied', reasons: ['actions are not wired: no audit log or ticket store'] }) },
    snapshot: () => poller.current().snapshot,
    clock,
    topology: options.topology,
    timeouts: options.toolTimeouts,
    ...(ports.audit ? { onToolCall: auditToolCalls(ports.audit, clock, logger) } : {}),
  });
  const chat = buildChatAgent({
    gateway: ports.modelGateway ?? ports.models?.gateway,
    conversations: ports.conversations,
    toolContext: chatToolContext,
    snapshot: () => poller.current().snapshot,
    docker: ports.docker,
    dockerHost: options.topology.self.dockerHost,
    approvals,
    freeze,
    aiEnabled: () => settings.get().aiEnabled,
    clock,
    newId: ports.newId ?? (() => globalThis.crypto.randomUUID()),
    fastPath: options.chat?.fastPath,
    limits: {
      ...(options.chat?.maxStepsLocal !== undefined ? { maxStepsLocal: options.chat.maxStepsLocal } : {}),
      ...(options.chat?.maxStepsCloud !== undefined ? { maxStepsCloud: options.chat.maxStepsCloud } : {}),
      ...(options.chat?.turnTimeoutMs !== undefined ? { turnTimeoutMs: options.chat.turnTimeoutMs } : {}),
    },
  });

  const deps: HttpServerDeps = {
    clock,
    logger,
    auth,
    state: feed.stateReader,
    history: clusterHistory(ports.cluster),
    audit: kernel?.audit ?? new MemoryAuditQuery(),
    approvals,
    actions: kernel?.actions ?? new RecordingActionService({ status: 'denied', reasons: ['actions are not wired: no audit log or ticket store'] }),
    freeze,
    settings,
    events,
    chat,
    chatSocket: createChatSocketHandler({ chat, clock, logger }),
    // PVE from the poller; SSH/Docker probed (cached) by the tools' health; names the tools a down dependency disables.
    health: createToolHealth({ base: pollerHealth(poller), tools: ALL_TOOLS, shell: ports.shell, sshNodes: options.sshNodes ?? options.topology.nodes.map((node) => node.name), docker: ports.docker, clock }),
    hub,
    metrics,
    // Dashboard: Jarvis's own chain (container -> Docker host -> VM -> node), drawn as protected.
    self: selfChain,
  };

  // 5b. Memory: /api/memory behind the auth, daily consolidation. The agent wires selectForPrompt and
  //     handleChatCommand; the event bus subscription (memory.subscribe(bus)) is wired with the bus.
  const memory = ports.memoryStore
    ? new MemoryService({ store: ports.memoryStore, clock, audit: ports.audit, logger, snapshot: () => poller.current().snapshot ?? null, newId: () => crypto.randomUUID() })
    : undefined;
  let stopMemory: (() => void) | undefined;

  // 6. HTTP server (built, not listening).
  const http = await buildHttpServer(deps, {
    ...(memory ? { protectedPlugins: [memoryRoutes(memory)] } : {}),
    allowedOrigins: options.server.allowedOrigins,
    secureCookies: options.server.secureCookies,
    ...(options.server.trustProxy !== undefined ? { trustProxy: options.server.trustProxy } : {}),
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    ...(monitor ? { protectedPlugins: [alertRoutes(monitor, () => clock.now())] } : {}),
  });

  // 7. MCP over HTTP at /mcp (bearer API tokens; tools act only through the executor).
  if (executor) {
    await mountMcp(http, {
      auth: { authenticateToken: (token) => auth.authenticateToken(token) },
      cluster: ports.cluster,
      shell: ports.shell,
      docker: ports.docker,
      executor,
      snapshot: () => poller.current().snapshot,
      clock,
      topology: options.topology,
      timeouts: options.toolTimeouts,
      // Every call (read or act, refused input included) is audited before its answer leaves (write-ahead).
      ...(ports.audit ? { onToolCall: auditToolCalls(ports.audit, clock, logger) } : {}),
      allowedHosts: options.allowedHosts,
      allowedOrigins: options.server.allowedOrigins,
    });
  }

  // 8. Models: the gateway's /metrics series; capacity probe and canary start with the app.
  if (ports.models) {
    const models = ports.models;
    models.subscribe(registerLlmMetrics(metrics.registry, () => models.stats(), () => clock.now()));
  }

  let closed: Promise<void> | undefined;
  return {
    http,
    poller,
    metrics,
    events,
    hub,
    executor,
    monitor,
    memory,
    admin,
    models: ports.models,
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
        feed.unsubscribe();
        await hub?.close();
        await http.close();
      })();
      return closed;
    },
  };
}
