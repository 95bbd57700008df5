import type { AuditEntry } from '../../core/audit/audit-record.ts';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import type { JarvisError, Result } from '../../core/errors.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { RrdSample, RrdTarget, RrdTimeframe } from '../../core/ports/cluster.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type {
  ActionConfirmRequest,
  ActionOutcome,
  ActionRequest,
  ApprovalDto,
  AuditPage,
  AuditQueryDto,
  ChatRequest,
  ChatResponse,
  DataHealth,
  EventDto,
  EventsQuery,
  FreezeState,
  HealthDto,
  ServerMessage,
  SnapshotDto,
  Settings,
  StateDto,
  TaskDto,
} from '../../protocol/index.ts';
import type { AuthService } from '../auth/auth-service.ts';
import type { Principal } from '../auth/roles.ts';
import type { JarvisMetrics } from './jarvis-metrics.ts';

/**
 * What the HTTP layer needs from the rest of the app. Small interfaces owned here; src/app/create-jarvis.ts
 * adapts the kernel, poller, audit store... to them (in-memory versions for tests: test/doubles/memory-services.ts).
 */

/** The poller's latest view. */
export interface StateReader {
  current(): { snapshot: ClusterSnapshot | null; health: DataHealth };
  /**
   * The dashboard's view: the snapshot as the WebSocket deltas published it (metrics at display
   * precision) and its JSON, serialised once per version. Absent before the first poll, or for
   * readers without a feed (then the exact snapshot is sent).
   */
  published?(): { snapshot: SnapshotDto; json: string } | undefined;
}

/** PVE rrddata (the ClusterApi port's `rrdData`). */
export interface HistoryReader {
  rrdData(target: RrdTarget, timeframe: RrdTimeframe): Promise<Result<RrdSample[], JarvisError>>;
}

/** Guest snapshots and notes, read from PVE on demand (the ClusterApi port's `guestConfig` + `guestSnapshots`). */
export type GuestDetailReader = Pick<import('../../core/ports/cluster.ts').ClusterApi, 'guestConfig' | 'guestSnapshots'>;

/** The backup storages' vzdump archives (src/app/backups/backup-catalog.ts). */
export interface BackupsReader {
  get(): Promise<import('../../protocol/index.ts').BackupsDto>;
}

export interface AuditQuery {
  page(query: AuditQueryDto): Promise<Result<AuditPage, JarvisError>>;
}

export interface ApprovalsService {
  list(status: 'pending' | 'all'): Promise<Result<ApprovalDto[], JarvisError>>;
  /** Resumes the exact stored action; the caller already checked the role (operator/admin). */
  approve(id: string, approver: Principal): Promise<Result<ActionOutcome, JarvisError>>;
  reject(id: string, by: Principal, reason: string | undefined): Promise<Result<ApprovalDto, JarvisError>>;
  pendingCount(): number;
}

/** Proposes an action through the kernel's guarded executor. */
export interface ActionService {
  propose(request: ActionRequest, actor: Principal): Promise<Result<ActionOutcome, JarvisError>>;
  /**
   * Inline confirmation of a red action by the signed-in human who proposed it (bound to the hash).
   * Absent in compositions without the kernel: the route then answers NOT_FOUND.
   */
  confirm?(request: ActionConfirmRequest, by: Principal): Promise<Result<ActionOutcome, JarvisError>>;
  /**
   * Audits a request body refused for bad input (raw body sanitised and truncated) before the 400
   * leaves (issue 8, write-ahead). An error means the row could not be written. Absent: not audited.
   */
  refused?(rawBody: unknown, by: Principal, error: JarvisError): Promise<Result<void, JarvisError>>;
}

/** The kernel's persisted emergency stop (see ./kernel-freeze-switch.ts for the adapter to the kernel's store). */
export interface FreezeSwitch {
  get(): Promise<Result<FreezeState, JarvisError>>;
  /**
   * `by` is the authenticated caller (its bare name, kind and role); the route has checked the
   * role, the kernel's switch checks it again and names the actor once (`user:ops`, `token:desktop`).
   */
  set(frozen: boolean, by: Pick<Principal, 'kind' | 'name' | 'role'>, reason: string | undefined): Promise<Result<FreezeState, JarvisError>>;
}

/**
 * The runtime settings (AI on/off) as the dashboard, chat and hub read them: served from memory,
 * kept in the kernel's SettingsStore (./runtime-settings.ts).
 */
export interface RuntimeSettings {
  get(): Settings;
  /**
   * Applies the defined keys of `patch`. `by` is the audit actor (the caller, or a system actor for
   * the config); the change is audited first and nothing changes when it cannot be.
   */
  update(patch: Partial<Settings>, by: AuditEntry['actor']): Promise<Result<Settings, JarvisError>>;
}

export interface EventLog {
  list(query: EventsQuery): EventDto[];
}

export interface ChatService {
  /** One turn; answers in offline mode when the AI is off or no model can answer. `options` streams (WebSocket). */
  send(request: ChatRequest, from: Principal, options?: import('../agent/chat-agent.ts').ChatSendOptions): Promise<Result<ChatResponse, JarvisError>>;
  /** Conversations of one user (absent on the no-model stand-in). */
  list?(user: string): Promise<Result<import('../../protocol/chat.ts').ConversationSummary[], JarvisError>>;
  get?(id: string, user: string): Promise<Result<import('../../protocol/chat.ts').ConversationDto, JarvisError>>;
  remove?(id: string, user: string): Promise<Result<boolean, JarvisError>>;
  status?(): import('../../protocol/chat.ts').ChatStatus;
}

/** Dependency health for GET /health (PVE, SSH, Docker, models). Must not throw and must be quick. */
export interface HealthReporter {
  dependencies(): Promise<HealthDto['dependencies']>;
}

/** Anything the /ws route needs: see src/app/ws/ws-hub.ts. */
export interface WsAttach {
  /**
   * Takes ownership of an authenticated socket. `stillValid` re-checks the credential (session
   * expiry, logout, token revocation); the hub closes the socket when it turns false.
   */
  attach(socket: import('ws').WebSocket, principal: Principal, stillValid: () => boolean): void;
}

export interface HttpServerDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where Jarvis itself runs (topology.self): the dashboard draws the protected chain. Optional. */
  readonly self?: { container: string; dockerHost: string; vmid: number; vmName: string; node: string };
  readonly auth: AuthService;
  readonly state: StateReader;
  readonly history: HistoryReader;
  /** GET /api/guests/:vmid/detail; absent = NOT_FOUND. */
  readonly guestDetail?: GuestDetailReader | undefined;
  /** GET /api/backups; absent = NOT_FOUND. */
  readonly backups?: BackupsReader | undefined;
  /** GET /api/cluster-log and /api/tasks/log-tail (src/app/events/cluster-log-reader.ts); absent = NOT_FOUND. */
  readonly clusterLog?: import('../events/cluster-log-reader.ts').ClusterLogReader | undefined;
  readonly audit: AuditQuery;
  readonly approvals: ApprovalsService;
  readonly actions: ActionService;
  readonly freeze: FreezeSwitch;
  readonly settings: RuntimeSettings;
  readonly events: EventLog;
  readonly chat: ChatService;
  /** Takes a chat socket (`/ws?chat=1`, src/app/ws/chat-socket.ts); when absent, /ws is the dashboard feed only. */
  readonly chatSocket?: ((socket: import('ws').WebSocket, principal: Principal, stillValid: () => boolean) => void) | undefined;
  readonly health: HealthReporter;
  /** The WebSocket hub (src/app/ws/ws-hub.ts); when absent, /ws is not registered. Closed with the server. */
  readonly hub?: WsAttach & { readonly seq: number; close(): Promise<void>; publish(message: ServerMessage): void };
  /** Prometheus metrics (GET /metrics); see ./jarvis-metrics.ts. */
  readonly metrics: JarvisMetrics;
  /** Recent PVE tasks for GET /api/state (the task tracker); absent = none listed. */
  readonly tasks?: (() => TaskDto[]) | undefined;
  /** The truthful AI status for GET /api/state (src/app/http/ai-status.ts); absent = not reported. */
  readonly aiStatus?: (() => StateDto['aiStatus']) | undefined;
}

export interface HttpServerOptions {
  /** Extra origins allowed besides the server's own (e.g. `https://jarvis.lan`): config server.allowedOrigins. */
  readonly allowedOrigins?: readonly string[];
  /**
   * Host names (port ignored) this server answers to besides loopback and the hosts of
   * allowedOrigins (config server.allowedHosts): the DNS-rebinding defence for every route.
   * Absent = no Host check (tests that build a bare server).
   */
  readonly allowedHosts?: readonly string[];
  /**
   * `Secure` flag of the session cookie: 'auto' (default) = when the request came over https
   * (with trustProxy, X-Forwarded-Proto counts); false only for plain http on loopback.
   */
  readonly secureCookies?: boolean | 'auto';
  /** Directory of the built dashboard (web/dist); not served when absent or missing. */
  readonly webRoot?: string;
  /** Trust X-Forwarded-* (behind a reverse proxy). Default false. */
  readonly trustProxy?: boolean | number | readonly string[];
  /**
   * Extra plugins registered INSIDE the authenticated context (e.g. /mcp): their routes get the
   * session/bearer check, the Origin check and the role check (viewer for GET, operator otherwise,
   * or the route's `config.minRole`) before their own handlers run.
   */
  readonly protectedPlugins?: readonly ((scope: import('fastify').FastifyInstance) => Promise<void>)[];
  /** Fastify logger: false in tests. */
  readonly fastifyLogger?: boolean;
}
