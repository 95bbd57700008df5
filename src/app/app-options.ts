import type { MemoryStore } from '../core/ports/memory.ts';
import type { Topology } from '../core/domain/topology.ts';
import type { ModelGateway } from '../core/llm/model-port.ts';
import type { ConversationStore } from '../core/ports/conversations.ts';
import type { AuditLog } from '../core/ports/audit.ts';
import type { AuthStore } from '../core/ports/auth.ts';
import type { ClusterApi, GuestActuator, ServiceActuator } from '../core/ports/cluster.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { DockerApi } from '../core/ports/docker.ts';
import type { NodeLocks } from '../core/ports/locks.ts';
import type { Logger } from '../core/ports/logger.ts';
import type { SettingsStore } from '../core/ports/settings.ts';
import type { ShellRunner } from '../core/ports/shell.ts';
import type { TicketStore } from '../core/ports/tickets.ts';
import type { ModelGatewayHandle } from './llm/create-model-gateway.ts';

/**
 * What createJarvis needs to know, as plain data. The app may not import src/config (layer rule):
 * src/cli maps the loaded JarvisConfig to these options (src/cli/compose/app-options-from-config.ts).
 */
export interface AppOptions {
  readonly topology: Topology;
  readonly poll: {
    readonly intervalMs: number;
    readonly staleAfterMs: number;
    readonly storageThreshold: number;
    /** Deadline of one full-state read (ms). */
    readonly timeoutMs: number;
  };
  readonly server: {
    readonly allowedOrigins: readonly string[];
    /** Secure flag on the session cookie: 'auto' = when the request came over https. */
    readonly secureCookies: boolean | 'auto';
    /** Reverse proxy trust (config server.trustProxy): false, true, a hop count, or proxy addresses. */
    readonly trustProxy?: boolean | number | readonly string[] | undefined;
    readonly sessionTtlMs: number;
    readonly maxWsClients: number;
  };
  readonly admin: {
    /** From JARVIS_ADMIN_PASSWORD(_FILE); absent = generated on first start. */
    readonly password?: string | undefined;
    /** Where a generated password is written (0600). */
    readonly passwordFile: string;
  };
  /** Initial state of the "AI on/off" setting (config llm.enabled); admins switch it at run time. */
  readonly aiEnabled?: boolean | undefined;
  /** Config `safety.twoPersonRule`: red actions need a second human (no inline self-confirmation). */
  readonly twoPersonRule?: boolean | undefined;
  /** Overall deadline of one action including its PVE task wait (ms; config timeouts.taskMs). */
  readonly actTimeoutMs?: number | undefined;
  /** Per-operation deadlines of tool calls (ms; config timeouts.*); defaults DEFAULT_TOOL_TIMEOUTS. */
  readonly toolTimeouts?: { readonly read: number; readonly act: number; readonly shell: number; readonly docker: number } | undefined;
  /** Nodes reachable over SSH (health probes); default every topology node. */
  readonly sshNodes?: readonly string[] | undefined;
  /** Host names the server is reached by besides loopback (MCP Host check), e.g. `192.168.1.65`. */
  readonly allowedHosts?: readonly string[] | undefined;
  /** Built dashboard (web/dist); not served when missing. */
  readonly webRoot?: string | undefined;
  /** Epsilons of the dashboard's metric deltas (config ui.deltaPrecision); default one displayed unit. */
  readonly deltaPrecision?: { readonly cpu: number; readonly bytesUnitFraction: number; readonly uptimeSeconds: number } | undefined;
  /** Prometheus default process metrics (off in tests that build many apps). */
  readonly defaultMetrics?: boolean | undefined;
  /** The monitor's settings (config `monitor`); undefined = no monitor (tests without one). */
  readonly monitor?: import('./monitor/monitor.ts').MonitorSettings | undefined;
  /** Chat agent (issue 11): step/time bounds and the offline fast path; defaults in app/agent/agent-types.ts. */
  readonly chat?: {
    readonly fastPath?: boolean | undefined;
    readonly maxStepsLocal?: number | undefined;
    readonly maxStepsCloud?: number | undefined;
    readonly turnTimeoutMs?: number | undefined;
  } | undefined;
}

/**
 * The outside world, as ports. Other engineers add optional ports here (shell, docker, audit,
 * tickets...) and wire them in createJarvis; absent optional ports get in-memory stand-ins.
 */
export interface JarvisPorts {
  readonly cluster: ClusterApi;
  readonly actuator: GuestActuator;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Users, sessions and API tokens; default: in memory (nothing survives a restart). */
  readonly authStore?: AuthStore | undefined;
  /**
   * The kernel's persistence. With all three, createJarvis builds the guarded executor (every act goes
   * through it) and mounts /mcp; without them, acts are refused ("not wired").
   */
  readonly audit?: AuditLog | undefined;
  readonly tickets?: TicketStore | undefined;
  /** The persisted emergency stop (core SettingsStore). */
  readonly freezeStore?: SettingsStore | undefined;
  /** Jarvis's memory (adapters/sqlite SqliteMemoryStore); absent = no /api/memory and no memory in prompts. */
  readonly memoryStore?: MemoryStore | undefined;
  /** One node under operation at a time; default in memory (this process only). */
  readonly locks?: NodeLocks | undefined;
  /** Node service actions through PVE. */
  readonly services?: ServiceActuator | undefined;
  /** SSH diagnostics/remediations; absent = those tools answer SSH_UNREACHABLE with a hint. */
  readonly shell?: ShellRunner | undefined;
  /** Docker Engine API; absent = container tools unavailable. */
  readonly docker?: DockerApi | undefined;
  /** The model gateway (src/cli/compose/build-model-gateway.ts); absent = no model (chat offline mode). */
  readonly models?: ModelGatewayHandle | undefined;
  /** The LLM gateway (app/llm createModelGateway); absent = no model: the chat answers in offline mode. */
  readonly modelGateway?: ModelGateway | undefined;
  /** Chat conversations (adapters/sqlite SqliteConversationStore); default in memory. */
  readonly conversations?: ConversationStore | undefined;
  /** Unique ids (tickets); default crypto.randomUUID. */
  readonly newId?: (() => string) | undefined;
  /** Monitor: alert store (SQLite in production), outbound channels, the model gateway and the event seam when they exist. */
  readonly alertStore?: import('../core/ports/alerts.ts').AlertStore | undefined;
  readonly notifiers?: readonly import('../core/ports/notifier.ts').Notifier[] | undefined;
  readonly gateway?: Pick<import('../core/llm/model-port.ts').ModelGateway, 'complete' | 'status'> | undefined;
  readonly bus?: import('../core/ports/events.ts').EventBus | undefined;
}
