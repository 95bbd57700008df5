/**
 * The monitor's public shapes: its settings, the ports it is built from, the frames it publishes,
 * its stats and its API. monitor.ts re-exports them, so importers keep importing from there.
 */
import type {
  AlertBookConfig,
  AlertCommand,
  AlertTransition,
  AutonomyConfig,
  CadenceConfig,
  CadenceState,
  EscalationConfig,
  LastBackupView,
  RoutingConfig,
  RuleId,
  RuleThresholds,
  SelfRef,
} from '../../core/anomaly/index.ts';
import type { Action } from '../../core/domain/action.ts';
import type { MaintenanceWindow } from '../../core/domain/topology.ts';
import type { JarvisError, Result } from '../../core/errors.ts';
import type { ModelGateway } from '../../core/llm/model-port.ts';
import type { AlertStore, AlertTimelineEntry } from '../../core/ports/alerts.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import type { EventBus } from '../../core/ports/events.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { ShellRunner } from '../../core/ports/shell.ts';
import type { AlertDto, AlertNotifyDto } from '../../protocol/alerts.ts';
import type { ExecutionOutcome } from '../actions/execution-outcome.ts';
import type { NotifyDispatcher } from './notify-dispatcher.ts';
import type { Poller, PollResult } from './poller.ts';

export interface MonitorSettings {
  readonly thresholds: RuleThresholds;
  readonly disabledRules: readonly RuleId[];
  readonly book: AlertBookConfig;
  readonly autonomy: AutonomyConfig;
  readonly cadence: CadenceConfig;
  readonly analysisEnabled: boolean;
  readonly escalation: EscalationConfig;
  readonly routing: RoutingConfig;
  readonly unitsEveryMs: number;
  readonly containersEveryMs: number;
  readonly tasksEveryMs: number;
  readonly ioWaitEveryMs: number;
  readonly self: SelfRef;
  readonly sshNodes: readonly string[];
  /** Docker host ids to watch for restart loops (the management VM's). */
  readonly dockerHosts: readonly string[];
  readonly maintenanceWindows: readonly MaintenanceWindow[];
  /** Dashboard base URL for links in notifications. */
  readonly dashboardUrl?: string | undefined;
  /** Retries per delivery (with backoff) before a channel failure is reported. */
  readonly notifyRetries?: number | undefined;
  /** Deliveries one channel may hold waiting in the outbox before the oldest is dropped (config `monitor.notify.outboxLimit`, default 100). */
  readonly notifyQueueLimit?: number | undefined;
  /** Share of the gateway's context budget the analysis gives to memory (default 0.5, like chat). */
  readonly memoryShare?: number | undefined;
}

export type MonitorFrame = { readonly type: 'alert-change'; readonly payload: AlertDto } | { readonly type: 'alert-notify'; readonly payload: AlertNotifyDto };

export interface MonitorDeps {
  readonly poller: Pick<Poller, 'subscribe' | 'current'>;
  /** Facts in (tasks, dependencies, tickets); `alert.changed` out when it can publish. */
  readonly bus?: (Pick<EventBus, 'on'> & Partial<Pick<EventBus, 'publish'>>) | undefined;
  /** `taskLog` (optional) feeds the analysis prompt's tool output (alert-evidence.ts). */
  readonly cluster: Pick<ClusterApi, 'clusterTasks' | 'rrdData'> & Partial<Pick<ClusterApi, 'taskLog'>>;
  readonly shell?: Pick<ShellRunner, 'run'> | undefined;
  readonly docker?: (Pick<DockerApi, 'listContainers' | 'inspectContainer'> & Partial<Pick<DockerApi, 'containerLogs'>>) | undefined;
  readonly executor?: { propose(action: Action): Promise<ExecutionOutcome> } | undefined;
  /**
   * Last successful backup per guest from a source besides PVE's task list (e.g. backup archives
   * in PVE storage content), read on the tasks cadence; vzdump tasks feed the same rule anyway.
   */
  readonly backups?: (() => Promise<Result<readonly LastBackupView[], JarvisError>>) | undefined;
  /** The emergency stop as the kernel reads it (an unreadable switch counts as on). */
  readonly readFreeze: () => Promise<boolean>;
  readonly gateway?: (Pick<ModelGateway, 'complete' | 'status'> & Partial<Pick<ModelGateway, 'contextBudget'>>) | undefined;
  /**
   * Memory for the analysis prompt (MemoryService.selectForPrompt): what Jarvis remembers about an
   * incident's node/guest, returned already framed (frameClusterData, source `jarvis:memory`) and
   * cut to `budgetTokens`. Memory can be poisoned: it is data in the prompt, never a decision input.
   */
  readonly memory?:
    | {
        selectForPrompt(request: {
          readonly text: string;
          readonly entities?: readonly string[];
          readonly budgetTokens: number;
        }): Promise<{ readonly text: string }>;
      }
    | undefined;
  readonly store: AlertStore;
  readonly dispatcher: NotifyDispatcher;
  readonly publish?: ((frame: MonitorFrame) => void) | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId?: (() => string) | undefined;
}

export interface MonitorStats {
  readonly evaluations: number;
  readonly lastEvaluationMs: number | undefined;
  readonly localCalls: number;
  readonly cloudCalls: number;
  readonly notificationsSent: number;
  /** Deliveries waiting in the outbox or in flight, and dropped because a channel's queue was full. */
  readonly notificationsPending: number;
  readonly notificationsDropped: number;
  readonly autonomousAttempts: number;
  readonly cadence: CadenceState;
}

export interface Monitor {
  /** One evaluation (the poller calls it after each poll; tests call it directly). Never throws. */
  evaluate(poll?: PollResult): Promise<readonly AlertTransition[]>;
  /** Runs the analysis if the cadence says it is due. Never throws. */
  analysisTick(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  list(query: { status?: 'active' | 'resolved' | 'all'; limit?: number; before?: number }): AlertDto[];
  detail(id: string): { alert: AlertDto; timeline: AlertTimelineEntry[] } | undefined;
  command(id: string, command: AlertCommand): Promise<AlertDto | undefined>;
  channels(): ReturnType<NotifyDispatcher['status']>;
  stats(): MonitorStats;
  /**
   * Resolves when every queued notification has been sent or given up. Evaluations never wait for
   * channels (the outbox sends in the background); tests and benches await this. `stop` does not.
   */
  notificationsIdle(): Promise<void>;
  /** Sends a test message to one channel (`jarvis notify test`). */
  testChannel(channel: string): Promise<{ ok: boolean; message: string }>;
}
