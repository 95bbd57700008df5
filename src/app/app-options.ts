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
  /** Host names the server is reached by besides loopback (Host check of every route; config server.allowedHosts + topology.self.address), e.g. `192.168.1.65`. */
  readonly allowedHosts?: readonly string[] | undefined;
  /** Built dashboard (web/dist); not served when missing. */
  readonly webRoot?: string | undefined;
  /** Epsilons of the dashboard's metric deltas (config ui.deltaPrecision); default one displayed unit. */
  readonly deltaPrecision?: { readonly cpu: number; readonly bytesUnitFraction: number; readonly uptimeSeconds: number } | undefined;
  /** Prometheus default process metrics (off in tests that build many apps). */
  readonly defaultMetrics?: boolean | undefined;
  /** `jarvis_build_info` labels (package version, Node version); the CLI reads them. */
  readonly build?: import('./http/jarvis-metrics.ts').BuildInfo | undefined;
  /** The monitor's settings (config `monitor`); undefined = no monitor (tests without one). */
  readonly monitor?: import('./monitor/monitor.ts').MonitorSettings | undefined;
  /** Chat agent (issue 11): step/time bounds and the offline fast path; defaults in app/agent/agent-types.ts. */
  readonly chat?:
    | {
        readonly fastPath?: boolean | undefined;
        readonly maxStepsLocal?: number | undefined;
        readonly maxStepsCloud?: number | undefined;
        readonly turnTimeoutMs?: number | undefined;
      }
    | undefined;
}

/**
 * The outside world, as ports. Every member is required: production wiring (src/cli) passes the real
 * adapters, tests pass their own stand-ins (test/); createJarvis never picks a default. `shell` and
 * `docker` must be given too, as `undefined` when SSH / Docker are not configured (their tools then
 * answer SSH_UNREACHABLE / DOCKER_UNREACHABLE with a hint).
 */
export interface JarvisPorts {
  readonly cluster: ClusterApi;
  readonly actuator: GuestActuator;
  /** Node service actions through PVE. */
  readonly services: ServiceActuator;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Users, sessions, API tokens and the runtime settings. */
  readonly authStore: AuthStore;
  /** The kernel's persistence: hash-chained audit log, confirmation tickets, persisted emergency stop. */
  readonly audit: AuditLog;
  readonly tickets: TicketStore;
  /** The emergency stop and the runtime settings (AI on/off), one table in the state DB. */
  readonly settingsStore: SettingsStore;
  /** One node under operation at a time (shared with `jarvis approve` through the state DB). */
  readonly locks: NodeLocks;
  /** SSH diagnostics/remediations; `undefined` = not configured. */
  readonly shell: ShellRunner | undefined;
  /** Docker Engine API; `undefined` = not configured. */
  readonly docker: DockerApi | undefined;
  /** Unique ids (tickets). */
  readonly newId: () => string;
  /** Jarvis's memory (adapters/sqlite SqliteMemoryStore); absent = no /api/memory and no memory in prompts. */
  readonly memoryStore?: MemoryStore | undefined;
  /** The model gateway (src/cli/compose/build-model-gateway.ts); absent = no model (chat offline mode). */
  readonly models?: ModelGatewayHandle | undefined;
  /** A model gateway given directly (tests); wins over `models`. */
  readonly modelGateway?: ModelGateway | undefined;
  /** Chat conversations (adapters/sqlite SqliteConversationStore). */
  readonly conversations: ConversationStore;
  /** Monitor: alert store (SQLite in production) and outbound channels. */
  readonly alertStore: import('../core/ports/alerts.ts').AlertStore;
  readonly notifiers?: readonly import('../core/ports/notifier.ts').Notifier[] | undefined;
  /** The domain event stream for the monitor (createJarvis passes its own bus). */
  readonly bus?: import('../core/ports/events.ts').EventBus | undefined;
  /** The monitor's model (defaults to the gateway of `models`). */
  readonly gateway?: Pick<import('../core/llm/model-port.ts').ModelGateway, 'complete' | 'status'> | undefined;
}

/** The required members of JarvisPorts (a JS caller or a half-built composition may still omit one). */
export const REQUIRED_PORTS = [
  'cluster',
  'actuator',
  'services',
  'clock',
  'logger',
  'authStore',
  'audit',
  'tickets',
  'settingsStore',
  'locks',
  'newId',
  'conversations',
  'alertStore',
] as const satisfies readonly (keyof JarvisPorts)[];

/** The names of required ports that are missing (empty when the composition is complete). */
export function missingPorts(ports: Partial<JarvisPorts>): string[] {
  const missing: string[] = REQUIRED_PORTS.filter((name) => ports[name] === undefined || ports[name] === null);
  for (const name of ['shell', 'docker'] as const) if (!(name in ports)) missing.push(`${name} (pass undefined when not configured)`);
  return missing;
}
