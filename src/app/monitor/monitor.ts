/**
 * The monitor: after each poll it gathers an observation (the snapshot, task facts, and on slow
 * cadences failed units over SSH, containers on the management VM, IO wait from rrddata), runs
 * the deterministic rules (core/anomaly), folds the findings into the alert book, stores and
 * publishes the transitions, notifies people, proposes playbook remedies through the guarded
 * executor (actor = monitor:<rule>) and schedules the local model's analysis. The model only
 * advises; the kernel decides every act. Never throws out of `evaluate`.
 */
import { randomUUID } from 'node:crypto';
import {
  advance,
  applyFindings,
  bookFromAlerts,
  commandAlert,
  emptyAlertBook,
  emptyHistory,
  emptyRoutingState,
  evaluateRules,
  gateAttempt,
  inAnyWindow,
  initialCadence,
  nextCadence,
  PLAYBOOKS,
  remedyAction,
  routeNotifications,
  seedHistory,
  shouldEscalate,
  transitionNotifies,
  type Alert,
  type AlertBook,
  type AlertBookConfig,
  type AlertCommand,
  type AlertTransition,
  type AutonomyConfig,
  type AutonomyState,
  type CadenceConfig,
  type CadenceState,
  type ContainerView,
  type EscalationConfig,
  type Finding,
  type IoWaitSample,
  type LastBackupView,
  type MonitorHistory,
  type Notification,
  type Observation,
  type RoutingConfig,
  type RoutingState,
  type RuleId,
  type RuleThresholds,
  type SelfRef,
  type Severity,
  type TaskView,
} from '../../core/anomaly/index.ts';
import type { Action } from '../../core/domain/action.ts';
import type { MaintenanceWindow } from '../../core/domain/topology.ts';
import { toJarvisError, type JarvisError, type Result } from '../../core/errors.ts';
import { frameClusterData, FRAME_NOTICE } from '../../core/llm/frame.ts';
import type { ModelGateway } from '../../core/llm/model-port.ts';
import type { AlertStore, AlertTimelineEntry } from '../../core/ports/alerts.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import type { EventBus } from '../../core/ports/events.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { ShellRunner } from '../../core/ports/shell.ts';
import { renderCommand } from '../../core/safety/command-catalogue.ts';
import type { AlertDto, AlertNotifyDto } from '../../protocol/alerts.ts';
import type { ExecutionOutcome } from '../actions/execution-outcome.ts';
import type { DeliveryOutcome, NotifyDispatcher } from './notify-dispatcher.ts';
import { createNotifyOutbox } from './notify-outbox.ts';
import { alertEvidence } from './alert-evidence.ts';
import { emptyMonitorState, MONITOR_STATE_NAME, monitorStateFrom, monitorStateJson, type MonitorState } from './monitor-state.ts';
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
  /** Deliveries one channel may hold waiting in the outbox before the oldest is dropped (default 100). */
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

const RULE_TEXT =
  'You are Jarvis, the operator of a Proxmox VE homelab. Summarise the incident below for the owner in at most 5 short lines: what is wrong, the likely cause, and what a human could check next. You cannot act; never claim to have done anything. ' +
  FRAME_NOTICE;

export function createMonitor(deps: MonitorDeps, settings: MonitorSettings): Monitor {
  const { clock, logger } = deps;
  const newId = deps.newId ?? (() => randomUUID());
  // After a restart: the stored open alerts (same ids, no second push), the state that keeps the
  // autonomy gate, the cloud budget and one-ticket-per-incident honest (monitor-state.ts).
  let book: AlertBook = restoredBook();
  let history: MonitorHistory = seedHistory(emptyHistory(), [...book.active.values()]);
  const restored = restoredState();
  let autonomy: AutonomyState = restored.autonomy;
  let routing: RoutingState = emptyRoutingState();
  let cadence: CadenceState = initialCadence(clock.now(), settings.cadence);
  const analyses = new Map<string, { text: string; origin: string; at: number; seenCount: number }>();
  const escalated = new Set<string>(restored.escalated);
  /** alert id -> the ticket of its current incident: one ticket (and push) per incident. */
  const ticketed = new Map<string, string>(restored.ticketed);
  const notifiedTickets = new Set<string>();
  const dependencies = new Map<string, { up: boolean; since: number; reason?: string }>();
  const busTasks = new Map<string, TaskView>();
  let pveTasks: TaskView[] = [];
  let tasksReadAt: number | undefined;
  /** The task list of the last evaluation (the analysis quotes it). */
  let lastTasks: readonly TaskView[] = [];
  const due = { units: 0, containers: 0, tasks: 0, ioWait: 0 };
  let counters = {
    evaluations: 0,
    lastEvaluationMs: undefined as number | undefined,
    localCalls: 0,
    cloudCalls: 0,
    notificationsSent: 0,
    autonomousAttempts: 0,
  };
  let cloudDay = restored.cloudDay;
  let canary: Observation['canary'];
  const unsubscribers: (() => void)[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  let analysisTimer: ReturnType<typeof setTimeout> | undefined;
  let running = false;

  // ---- inputs from the event seam ----
  if (deps.bus) {
    const onTask = (fact: {
      id: string;
      node: string;
      type: string;
      vmid?: number | undefined;
      startedAt: number;
      endedAt?: number | undefined;
      status: string;
      byJarvis: boolean;
    }) => {
      busTasks.set(fact.id, {
        id: fact.id,
        node: fact.node,
        type: fact.type,
        vmid: fact.vmid,
        startedAt: fact.startedAt,
        endedAt: fact.endedAt,
        status: fact.status,
        byJarvis: fact.byJarvis,
      });
    };
    unsubscribers.push(deps.bus.on('task.started', onTask), deps.bus.on('task.progressed', onTask), deps.bus.on('task.finished', onTask));
    unsubscribers.push(deps.bus.on('dependency.changed', (change) => setDependency(change.dependency, change.up, change.at, change.reason)));
    unsubscribers.push(
      deps.bus.on('ticket.opened', (ticket) => {
        // The monitor's own tickets are pushed by remediate(), with their alert's severity.
        if (!ticket.requestedBy.startsWith('monitor:')) notifyTicket(ticket.ticketId, ticket.summary, ticket.requestedBy, ticket.expiresAt, 'critical');
      }),
    );
  }

  function restoredBook(): AlertBook {
    try {
      const stored = [...deps.store.list({ status: 'active', limit: 1000 }), ...deps.store.list({ status: 'resolved', limit: 200 })];
      const restoredAlerts = bookFromAlerts(stored, clock.now(), settings.book);
      if (restoredAlerts.active.size > 0) logger.info({ active: restoredAlerts.active.size }, 'monitor: open alerts reloaded from the alert store');
      return restoredAlerts;
    } catch (error) {
      logger.error({ error: toJarvisError(error).message }, 'monitor: stored alerts not reloaded');
      return emptyAlertBook();
    }
  }

  function restoredState(): MonitorState {
    try {
      return monitorStateFrom(deps.store.loadState(MONITOR_STATE_NAME));
    } catch (error) {
      logger.error({ error: toJarvisError(error).message }, 'monitor: saved state not reloaded');
      return emptyMonitorState();
    }
  }

  function saveState(): void {
    try {
      deps.store.saveState(MONITOR_STATE_NAME, monitorStateJson({ autonomy, cloudDay, escalated, ticketed }));
    } catch (error) {
      logger.error({ error: toJarvisError(error).message }, 'monitor: state not saved');
    }
  }

  function setDependency(name: string, up: boolean, at: number, reason?: string): void {
    const before = dependencies.get(name);
    if (before && before.up === up) return;
    dependencies.set(name, { up, since: at, ...(reason ? { reason } : {}) });
  }

  function toDto(alert: Alert): AlertDto {
    const analysis = analyses.get(alert.id);
    return {
      id: alert.id,
      rule: alert.rule,
      target: alert.target,
      severity: alert.severity,
      title: alert.title,
      facts: { ...alert.facts },
      state: alert.state,
      firstSeen: alert.firstSeen,
      lastSeen: alert.lastSeen,
      count: alert.count,
      flapping: alert.flapping,
      ...(alert.snoozedUntil !== undefined ? { snoozedUntil: alert.snoozedUntil } : {}),
      ...(alert.acknowledgedBy !== undefined ? { acknowledgedBy: alert.acknowledgedBy } : {}),
      ...(alert.resolvedAt !== undefined ? { resolvedAt: alert.resolvedAt } : {}),
      ...(alert.resolvedBy !== undefined ? { resolvedBy: alert.resolvedBy } : {}),
      ...(analysis ? { analysis: { text: analysis.text, origin: analysis.origin, at: analysis.at } } : {}),
    };
  }

  function timeline(alertId: string, kind: string, message: string, data?: Record<string, unknown>): void {
    try {
      deps.store.appendTimeline({ alertId, at: clock.now(), kind, message, ...(data ? { data } : {}) });
    } catch (error) {
      logger.error({ error: toJarvisError(error).message }, 'alert timeline write failed');
    }
  }

  function persist(alert: Alert): void {
    try {
      deps.store.upsert(alert);
    } catch (error) {
      logger.error({ error: toJarvisError(error).message }, 'alert store write failed');
    }
    deps.publish?.({ type: 'alert-change', payload: toDto(alert) });
  }

  /** One `alert.changed` per transition on the bus (metrics and logs subscribe). */
  function announce(transition: AlertTransition): void {
    const { alert } = transition;
    deps.bus?.publish?.('alert.changed', {
      alertId: alert.id,
      rule: alert.rule,
      severity: alert.severity,
      target: alert.target,
      transition: transition.kind,
      state: alert.state,
      at: clock.now(),
    });
  }

  const link = (path: string): string | undefined => (settings.dashboardUrl ? `${settings.dashboardUrl.replace(/\/$/, '')}${path}` : undefined);

  function notificationOf(transition: AlertTransition): Notification {
    const { alert } = transition;
    const resolved = transition.kind === 'resolved';
    return {
      kind: resolved ? 'resolve' : 'alert',
      severity: alert.severity,
      title: resolved ? `Resolved: ${alert.title}` : alert.title,
      body: resolved
        ? `${alert.title}\nCondition cleared after ${Math.max(1, Math.round((clock.now() - alert.firstSeen) / 60_000))} min.`
        : `${alert.title}\nRule ${alert.rule} on ${alert.target}${transition.kind === 'escalated' ? ` (now ${alert.severity})` : ''}.`,
      url: link(`/#alert-${alert.id}`),
      tags: [alert.rule],
      alertId: alert.id,
    };
  }

  /** What happened to one delivery, on the alert's timeline (the outbox calls it when a send ends). */
  function recordOutcome(outcome: DeliveryOutcome): void {
    const notification = outcome.delivery.notification;
    if (outcome.ok) counters.notificationsSent += 1;
    if (notification.kind === 'digest' || notification.alertId === undefined) return;
    timeline(
      notification.alertId,
      outcome.ok ? 'notified' : 'notify-failed',
      outcome.ok
        ? `sent to ${outcome.delivery.channel}${outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : ''}`
        : `${outcome.delivery.channel} failed after ${outcome.attempts} attempts: ${outcome.error?.message ?? 'unknown channel'}`,
    );
  }

  const outbox = createNotifyOutbox(deps.dispatcher, { capacity: settings.notifyQueueLimit, logger, onOutcome: recordOutcome });

  /** Routes a batch and queues it: returns at once, whatever the channels' health. */
  function send(batch: readonly Notification[]): void {
    const routed = routeNotifications(routing, batch, clock.now(), settings.routing);
    routing = routed.state;
    outbox.enqueue(routed.deliveries);
  }

  /**
   * Pushes a pending ticket with a link to its approval. Routed like any message of `severity`
   * (quiet hours included): the monitor's tickets carry their alert's severity, a person's
   * (chat, MCP, dashboard) are critical.
   */
  function notifyTicket(ticketId: string, summary: string, requestedBy: string, expiresAt: number, severity: Severity): void {
    if (notifiedTickets.has(ticketId)) return;
    notifiedTickets.add(ticketId);
    const minutes = Math.max(0, Math.round((expiresAt - clock.now()) / 60_000));
    send([
      {
        kind: 'ticket',
        severity,
        title: `Approval needed: ${summary}`.slice(0, 250),
        body: `${requestedBy} asks for: ${summary}\nThe ticket expires in ${minutes} min. Open the approval to confirm or reject.`,
        url: link(`/#approval-${ticketId}`),
        tags: ['ticket'],
        ticketId,
      },
    ]);
  }

  // ---- observation ----
  async function gather(poll: PollResult | undefined, now: number): Promise<Observation> {
    const state = deps.poller.current();
    const fresh = poll ? poll.ok : !state.stale;
    if (poll) setDependency('pve', poll.ok, now, poll.ok ? undefined : poll.error.message);
    const snapshot = poll?.ok ? poll.snapshot : state.snapshot;
    const reads: Promise<void>[] = [];
    let failedUnits: Record<string, readonly string[]> | undefined;
    let containers: ContainerView[] | undefined;
    let ioWait: IoWaitSample[] | undefined;
    let lastBackups: LastBackupView[] | undefined;

    // A guest seen stopping is judged only with a task list read after the stop (see
    // MonitorHistory.crashed): read it now rather than wait up to tasksEveryMs.
    const stopSuspected =
      [...history.crashed.values()].some((crash) => !crash.confirmed) ||
      (fresh && snapshot?.guests.some((guest) => guest.status !== 'running' && history.guestStatus.get(guest.vmid)?.status === 'running')) === true;
    const tasksDue = now >= due.tasks;
    if (tasksDue || stopSuspected) {
      due.tasks = now + settings.tasksEveryMs;
      reads.push(
        deps.cluster.clusterTasks().then((result) => {
          if (!result.ok) return;
          tasksReadAt = now;
          pveTasks = result.value.slice(0, 500).map((task) => {
            const vmid = /^\d+$/.test(task.id) ? Number(task.id) : undefined;
            return {
              id: task.upid,
              node: task.node,
              type: task.type,
              vmid,
              startedAt: task.starttime * 1000,
              endedAt: task.endtime !== undefined ? task.endtime * 1000 : undefined,
              status: task.status ?? 'running',
              byJarvis: false,
            };
          });
        }),
      );
    }
    if (tasksDue && deps.backups) {
      reads.push(
        deps.backups().then((result) => {
          if (result.ok) lastBackups = result.value.slice(0, 10_000);
          else logger.warn({ code: result.error.code }, `monitor: last backups not read: ${result.error.message}`);
        }),
      );
    }
    if (deps.shell && now >= due.units) {
      due.units = now + settings.unitsEveryMs;
      const command = renderCommand({ id: 'failed_units', params: {} }, { now });
      if (command.ok) {
        failedUnits = {};
        const collected = failedUnits;
        const online = new Set(snapshot?.nodes.filter((node) => node.status === 'online').map((node) => node.name) ?? settings.sshNodes);
        reads.push(
          Promise.all(
            settings.sshNodes
              .filter((node) => online.has(node))
              .map(async (node) => {
                const result = await deps.shell!.run(node, command.value);
                if (!result.ok) {
                  if (result.error.code === 'SSH_UNREACHABLE' || result.error.code === 'SSH_TIMEOUT') setDependency('ssh', false, now, result.error.message);
                  return;
                }
                setDependency('ssh', true, now);
                collected[node] = parseFailedUnits(result.value.stdout);
              }),
          ).then(() => undefined),
        );
      }
    }
    if (deps.docker && now >= due.containers && settings.dockerHosts.length > 0) {
      due.containers = now + settings.containersEveryMs;
      containers = [];
      const collected = containers;
      reads.push(
        Promise.all(
          settings.dockerHosts.map(async (host) => {
            const list = await deps.docker!.listContainers(host, { all: true });
            if (!list.ok) {
              if (list.error.code === 'DOCKER_UNREACHABLE' || list.error.code === 'DOCKER_TIMEOUT') setDependency('docker', false, now, list.error.message);
              return;
            }
            setDependency('docker', true, now);
            const details = await Promise.all(list.value.slice(0, 100).map((container) => deps.docker!.inspectContainer(host, container.name)));
            for (const detail of details)
              if (detail.ok) collected.push({ host, name: detail.value.name, state: detail.value.state, restartCount: detail.value.restartCount });
          }),
        ).then(() => undefined),
      );
    }
    if (now >= due.ioWait && snapshot) {
      due.ioWait = now + settings.ioWaitEveryMs;
      ioWait = [];
      const collected = ioWait;
      reads.push(
        Promise.all(
          snapshot.nodes
            .filter((node) => node.status === 'online')
            .map(async (node) => {
              const rrd = await deps.cluster.rrdData({ kind: 'node', node: node.name }, 'hour');
              if (!rrd.ok) return;
              for (const sample of rrd.value) {
                const value = sample.values['iowait'];
                if (value !== undefined) collected.push({ node: node.name, time: sample.time * 1000, iowait: value });
              }
            }),
        ).then(() => undefined),
      );
    }
    await Promise.all(reads.map((read) => read.catch((error: unknown) => logger.warn({ error: toJarvisError(error).message }, 'monitor read failed'))));

    const status = deps.gateway?.status();
    if (status?.canary) canary = status.canary;
    if (status?.local) setDependency('model:local', status.local.up, now, status.local.reason);
    for (const [id, task] of busTasks) if (task.endedAt !== undefined && now - task.endedAt > 3_600_000) busTasks.delete(id);
    return {
      at: now,
      snapshot,
      fresh,
      tasks: [...pveTasks, ...busTasks.values()],
      tasksReadAt,
      dependencies: Object.fromEntries(dependencies),
      failedUnits,
      containers,
      ioWait,
      lastBackups,
      canary,
      maintenance: inAnyWindow(settings.maintenanceWindows, now),
    };
  }

  // ---- autonomy ----
  async function remediate(findings: readonly Finding[], observation: Observation): Promise<void> {
    if (!deps.executor || !settings.autonomy.enabled) return;
    const byKey = new Map(findings.map((finding) => [`${finding.rule}|${finding.target}`, finding]));
    for (const alert of book.active.values()) {
      if (alert.state !== 'open' || alert.flapping) continue;
      const finding = byKey.get(alert.key);
      const remedy = finding ? PLAYBOOKS[finding.rule]?.(finding) : undefined;
      if (!finding || !remedy) continue;
      // One ticket per incident: a human has been asked (and pushed) once; a rejected or expired
      // ticket is their answer until the incident resolves or re-opens.
      if (ticketed.has(alert.id)) continue;
      const frozen = await deps.readFreeze().catch(() => true);
      const gate = gateAttempt(autonomy, remedy, observation.at, settings.autonomy, { frozen, maintenance: observation.maintenance });
      if (!gate.allow) {
        if (!gate.reason.startsWith('cooldown')) timeline(alert.id, 'act-skipped', `${remedy.kind}: ${gate.reason}`);
        continue;
      }
      autonomy = gate.state;
      saveState();
      counters.autonomousAttempts += 1;
      const action = remedyAction(finding, remedy);
      let outcome: ExecutionOutcome;
      try {
        outcome = await deps.executor.propose(action);
      } catch (error) {
        outcome = { status: 'error', error: toJarvisError(error) };
      }
      // The timeline links the audit row by its seq (the row that records how the act ended); the hash stays for older readers.
      const audit = {
        auditSeq: outcome.auditSeq,
        decisionSeq: outcome.decisionSeq,
        actionHash: outcome.decision?.actionHash,
        tier: outcome.decision?.tier,
        actor: `monitor:${finding.rule}`,
      };
      switch (outcome.status) {
        case 'done':
          timeline(alert.id, 'act', `${remedy.kind} ran: ${outcome.summary}`, audit);
          break;
        case 'needs-confirmation':
          timeline(alert.id, 'ticket', `${remedy.kind} needs a human: ticket ${outcome.approval.id}`, { ...audit, ticketId: outcome.approval.id });
          ticketed.set(alert.id, outcome.approval.id);
          saveState();
          notifyTicket(outcome.approval.id, `${remedy.kind} for ${alert.title}`, `monitor:${finding.rule}`, outcome.approval.expiresAt, alert.severity);
          break;
        case 'denied':
          timeline(alert.id, 'act-denied', `${remedy.kind} denied by the kernel: ${outcome.reasons.join('; ').slice(0, 500)}`, audit);
          break;
        case 'error':
          timeline(alert.id, 'act-failed', `${remedy.kind} failed: ${outcome.error.message}`, audit);
          break;
      }
    }
  }

  // ---- analysis ----
  function framedContext(alerts: readonly Alert[], now: number): string {
    const snapshot = deps.poller.current().snapshot;
    return alerts
      .map((alert) => {
        const related: Record<string, unknown> = {
          alert: {
            rule: alert.rule,
            target: alert.target,
            severity: alert.severity,
            title: alert.title,
            facts: alert.facts,
            openForMinutes: Math.round((now - alert.firstSeen) / 60_000),
            count: alert.count,
          },
        };
        const node = typeof alert.facts['node'] === 'string' ? alert.facts['node'] : alert.target.startsWith('node:') ? alert.target.split(':')[1] : undefined;
        const vmid =
          typeof alert.facts['vmid'] === 'number' ? alert.facts['vmid'] : alert.target.startsWith('guest:') ? Number(alert.target.split(':')[1]) : undefined;
        if (snapshot) {
          if (node) related['node'] = snapshot.nodes.find((entry) => entry.name === node);
          if (vmid !== undefined) related['guest'] = snapshot.guests.find((entry) => entry.vmid === vmid);
          if (alert.rule === 'quorum-lost' || alert.rule === 'quorum-at-edge') related['quorum'] = snapshot.quorum;
          if (alert.rule === 'storage-full') related['storage'] = snapshot.storage.filter((entry) => entry.node === node);
        }
        if (alert.rule === 'unit-failed' && node) related['failedUnits'] = history.failedUnits[node];
        return frameClusterData(JSON.stringify(related), { source: `monitor:${alert.rule}`, node, at: now }, 4000);
      })
      .join('\n');
  }

  /** Memory keys of an alert's target: its guest and its node (`vm:102`, `node:pve`). */
  function memoryEntities(alert: Alert): string[] {
    const node = typeof alert.facts['node'] === 'string' ? alert.facts['node'] : alert.target.startsWith('node:') ? alert.target.slice(5) : undefined;
    const vmid = typeof alert.facts['vmid'] === 'number' ? alert.facts['vmid'] : /^(?:guest|backup):(\d+)$/.exec(alert.target)?.[1];
    return [...(vmid !== undefined ? [`vm:${vmid}`] : []), ...(node ? [`node:${node}`] : [])];
  }

  /** The memory block of the prompt: per alert, within its part of the gateway's memory share. Never throws. */
  async function memoryContext(alerts: readonly Alert[], incidents: string): Promise<string> {
    if (!deps.memory || !deps.gateway?.contextBudget) return '';
    const share = Math.min(1, Math.max(0, settings.memoryShare ?? 0.5));
    const budget = Math.floor(
      deps.gateway.contextBudget({
        class: 'background',
        category: 'routine',
        system: RULE_TEXT,
        messages: [{ role: 'user', content: incidents }],
        maxOutputTokens: 300,
      }) * share,
    );
    const each = Math.floor(budget / Math.max(1, alerts.length));
    if (each <= 0) return '';
    const blocks: string[] = [];
    for (const alert of alerts) {
      try {
        const selected = await deps.memory.selectForPrompt({ text: alert.title, entities: memoryEntities(alert), budgetTokens: each });
        if (selected.text) blocks.push(selected.text);
      } catch (error) {
        logger.warn({ error: toJarvisError(error).message }, 'monitor analysis: memory unavailable');
      }
    }
    return blocks.length > 0 ? `\nWhat Jarvis remembers about these targets:\n${blocks.join('\n')}` : '';
  }

  async function analyse(now: number): Promise<void> {
    const open = [...book.active.values()].filter((alert) => alert.state === 'open').slice(0, 5);
    if (!deps.gateway || !settings.analysisEnabled || open.length === 0) return;
    const fresh = open.filter((alert) => analyses.get(alert.id)?.seenCount !== alert.count);
    if (fresh.length === 0) return;
    // Tool output of the first incidents (a read each at most), inside the incidents block so the
    // memory share below is computed after it.
    const evidence = (
      await Promise.all(
        fresh.slice(0, 3).map((alert) => alertEvidence(alert, lastTasks, { cluster: deps.cluster, shell: deps.shell, docker: deps.docker, logger }, now)),
      )
    ).filter((block) => block !== '');
    const incidents = `Open incidents:\n${framedContext(fresh, now)}${evidence.length > 0 ? `\nTool output about them:\n${evidence.join('\n')}` : ''}`;
    const content = `${incidents}${await memoryContext(fresh, incidents)}`;
    // The spend ledger links an analysis to the alerts it was about (a model call has no audit row).
    const auditId = `alerts:${fresh.map((alert) => alert.id).join(',')}`;
    const result = await deps.gateway.complete({
      purpose: 'monitor-analysis',
      auditId,
      class: 'background',
      category: 'routine',
      provider: 'local',
      system: RULE_TEXT,
      messages: [{ role: 'user', content }],
      maxOutputTokens: 300,
    });
    if (!result.ok) {
      logger.warn({ code: result.error.code }, `monitor analysis failed: ${result.error.message}`);
      return;
    }
    if (result.value.origin.provider === 'cloud') counters.cloudCalls += 1;
    else if (result.value.origin.provider === 'local') counters.localCalls += 1;
    record(fresh, result.value.text, result.value.origin.label, now);
    // Cloud only on explicit escalation rules, within the daily budget, once per alert.
    const day = Math.floor(now / 86_400_000);
    if (cloudDay.day !== day) cloudDay = { day, calls: 0 };
    const escalate = fresh.filter((alert) =>
      shouldEscalate(alert, now, settings.escalation, { cloudCallsToday: cloudDay.calls, escalatedAlready: escalated.has(alert.id) }),
    );
    if (escalate.length === 0) return;
    for (const alert of escalate) escalated.add(alert.id);
    cloudDay = { day, calls: cloudDay.calls + 1 };
    saveState();
    const cloud = await deps.gateway.complete({
      purpose: 'monitor-analysis',
      auditId: `alerts:${escalate.map((alert) => alert.id).join(',')}`,
      class: 'background',
      category: 'complex',
      provider: 'cloud',
      system: RULE_TEXT,
      messages: [{ role: 'user', content: `Escalated: ${content}` }],
      maxOutputTokens: 500,
    });
    if (cloud.ok) {
      if (cloud.value.origin.provider === 'cloud') counters.cloudCalls += 1;
      record(escalate, cloud.value.text, cloud.value.origin.label, now);
    }
  }

  function record(alerts: readonly Alert[], text: string, origin: string, now: number): void {
    const advice = text.trim().slice(0, 4000);
    if (!advice) return;
    for (const alert of alerts) {
      analyses.set(alert.id, { text: advice, origin, at: now, seenCount: alert.count });
      timeline(alert.id, 'analysis', advice, { origin });
      const current = book.active.get(alert.key);
      if (current) deps.publish?.({ type: 'alert-change', payload: toDto(current) });
    }
  }

  async function analysisTick(): Promise<void> {
    const now = clock.now();
    if (now < cadence.nextAt) return;
    try {
      await analyse(now);
    } catch (error) {
      logger.error({ error: toJarvisError(error).message }, 'monitor analysis crashed');
    }
    cadence = nextCadence(cadence, book.active.size > 0 ? 'analysed' : 'all-clear', now, settings.cadence);
  }

  // ---- one evaluation ----
  async function evaluateOnce(poll: PollResult | undefined): Promise<readonly AlertTransition[]> {
    const started = clock.now();
    const observation = await gather(poll, started);
    history = advance(history, observation, settings.thresholds, settings.self);
    lastTasks = observation.tasks;
    const findings = evaluateRules({ history, observation, thresholds: settings.thresholds, self: settings.self }, settings.disabledRules);
    const applied = applyFindings(book, findings, observation.at, settings.book, newId);
    book = applied.book;
    const batch: Notification[] = [];
    let opened = false;
    for (const transition of applied.transitions) {
      persist(transition.alert);
      announce(transition);
      if (transition.kind !== 'updated') timeline(transition.alert.id, transition.kind, transitionMessage(transition));
      if (transition.kind === 'opened' || transition.kind === 'reopened' || transition.kind === 'escalated') opened = true;
      if ((transition.kind === 'reopened' || transition.kind === 'resolved') && ticketed.delete(transition.alert.id)) saveState();
      if (transitionNotifies(transition, observation.at)) batch.push(notificationOf(transition));
    }
    send(batch);
    await remediate(findings, observation);
    if (opened) cadence = nextCadence(cadence, 'incident-opened', observation.at, settings.cadence);
    else if (book.active.size === 0 && cadence.intervalMs !== settings.cadence.calmMs)
      cadence = nextCadence(cadence, 'all-clear', observation.at, settings.cadence);
    counters = { ...counters, evaluations: counters.evaluations + 1, lastEvaluationMs: clock.now() - started };
    return applied.transitions;
  }

  function evaluate(poll?: PollResult): Promise<readonly AlertTransition[]> {
    const run = queue
      .then(() => evaluateOnce(poll))
      .catch((error: unknown) => {
        logger.error({ error: toJarvisError(error).message }, 'monitor evaluation crashed');
        return [] as readonly AlertTransition[];
      });
    queue = run;
    return run;
  }

  function scheduleAnalysis(): void {
    if (!running) return;
    const delay = Math.max(1_000, Math.min(cadence.nextAt - clock.now(), settings.cadence.incidentMs));
    analysisTimer = setTimeout(() => {
      void analysisTick().finally(scheduleAnalysis);
    }, delay);
  }

  return {
    evaluate,
    analysisTick,
    start() {
      if (running) return;
      running = true;
      unsubscribers.push(
        deps.poller.subscribe((result) => {
          void evaluate(result).then(() => analysisTick());
        }),
      );
      scheduleAnalysis();
    },
    async stop() {
      running = false;
      if (analysisTimer) clearTimeout(analysisTimer);
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      await queue.catch(() => undefined);
    },
    list(query) {
      try {
        return deps.store.list(query).map((alert) => toDto(book.active.get(alert.key)?.id === alert.id ? book.active.get(alert.key)! : alert));
      } catch (error) {
        logger.error({ error: toJarvisError(error).message }, 'alert store read failed');
        return [...book.active.values()].map(toDto);
      }
    },
    detail(id) {
      const active = [...book.active.values()].find((alert) => alert.id === id);
      const alert = active ?? deps.store.get(id);
      return alert ? { alert: toDto(alert), timeline: deps.store.timeline(id) } : undefined;
    },
    async command(id, command) {
      const result = commandAlert(book, id, command, clock.now());
      if (!result) return undefined;
      book = result.book;
      persist(result.alert);
      if (result.alert.state === 'resolved' && ticketed.delete(id)) saveState();
      for (const transition of result.transitions) announce(transition);
      const verb =
        command.kind === 'acknowledge' ? 'acknowledged' : command.kind === 'snooze' ? `snoozed until ${new Date(command.until).toISOString()}` : 'resolved';
      timeline(id, result.transitions[0]?.kind ?? command.kind, `${verb} by ${command.by}`);
      return toDto(result.alert);
    },
    channels: () => deps.dispatcher.status(),
    stats: () => {
      const queued = outbox.stats();
      return { ...counters, notificationsPending: queued.pending, notificationsDropped: queued.dropped, cadence };
    },
    notificationsIdle: () => outbox.idle(),
    async testChannel(channel) {
      const notifier = deps.dispatcher.notifiers().find((entry) => entry.channel === channel);
      if (!notifier)
        return {
          ok: false,
          message: `no channel '${channel}' (known: ${
            deps.dispatcher
              .notifiers()
              .map((entry) => entry.channel)
              .join(', ') || 'none'
          }; see monitor.notify.channels)`,
        };
      const [outcome] = await deps.dispatcher.dispatch([
        {
          channel,
          notification: {
            kind: 'test',
            severity: 'info',
            title: 'Jarvis test notification',
            body: `A test from Jarvis at ${new Date(clock.now()).toISOString()}.`,
            url: link('/'),
            tags: ['test'],
          },
        },
      ]);
      return outcome?.ok
        ? { ok: true, message: `sent to ${channel}${outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : ''}` }
        : { ok: false, message: outcome?.error?.message ?? 'not sent' };
    },
  };
}

function transitionMessage(transition: AlertTransition): string {
  switch (transition.kind) {
    case 'escalated':
      return `escalated from ${transition.from} to ${transition.alert.severity}: ${transition.alert.title}`;
    case 'resolved':
      return transition.alert.resolvedBy === 'condition-cleared' ? 'condition cleared' : `resolved by ${transition.alert.resolvedBy ?? '?'}`;
    case 'reopened':
      return `came back${transition.alert.flapping ? ' (flapping: notifications held)' : ''}: ${transition.alert.title}`;
    default:
      return transition.alert.title;
  }
}

/** `systemctl list-units --failed --plain --no-legend` lines -> unit names (services only, `.service` dropped). */
export function parseFailedUnits(stdout: string): string[] {
  return stdout
    .split('\n')
    .map(
      (line) =>
        line
          .trim()
          .replace(/^[●*]\s*/, '')
          .split(/\s+/)[0] ?? '',
    )
    .filter((unit) => /^[A-Za-z0-9@:._-]+\.service$/.test(unit))
    .map((unit) => unit.replace(/\.service$/, ''))
    .slice(0, 100);
}
