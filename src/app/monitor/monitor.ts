/**
 * The monitor: after each poll it gathers an observation (monitor-observer.ts), runs the
 * deterministic rules (core/anomaly), folds the findings into the alert book and records the
 * transitions (alert-records.ts), notifies people (monitor-notifications.ts), proposes playbook
 * remedies through the guarded executor (remediator.ts, actor = monitor:<rule>) and schedules the
 * local model's analysis (analysis-schedule.ts, monitor-analysis.ts). The model only advises;
 * the kernel decides every act. State that must survive a restart is reloaded at creation
 * (monitor-restore.ts, container-history.ts). Never throws out of `evaluate`.
 */
import { randomUUID } from 'node:crypto';
import {
  advance,
  applyFindings,
  emptyHistory,
  evaluateRules,
  seedHistory,
  transitionNotifies,
  type AlertTransition,
  type MonitorHistory,
  type Notification,
  type TaskView,
} from '../../core/anomaly/index.ts';
import { toJarvisError } from '../../core/errors.ts';
import { createAlertRecords } from './alert-records.ts';
import { createAnalysisSchedule } from './analysis-schedule.ts';
import { containerHistoryKeeper } from './container-history.ts';
import { createMonitorAnalysis } from './monitor-analysis.ts';
import { createMonitorNotifications } from './monitor-notifications.ts';
import { createMonitorObserver } from './monitor-observer.ts';
import { restoreAlertBook, restoreKeptState } from './monitor-restore.ts';
import type { Monitor, MonitorDeps, MonitorSettings } from './monitor-types.ts';
import type { PollResult } from './poller.ts';
import { createRemediator } from './remediator.ts';

export type { Monitor, MonitorDeps, MonitorFrame, MonitorSettings, MonitorStats } from './monitor-types.ts';
export { parseFailedUnits } from './observation-reads.ts';

export function createMonitor(deps: MonitorDeps, settings: MonitorSettings): Monitor {
  const { clock, logger } = deps;
  const newId = deps.newId ?? (() => randomUUID());
  // After a restart: the stored open alerts (same ids, no second push), the state that keeps the
  // autonomy gate, the cloud budget and one-ticket-per-incident honest (monitor-state.ts).
  const book = restoreAlertBook(deps.store, clock.now(), settings.book, logger);
  let history: MonitorHistory = seedHistory(emptyHistory(), [...book.active.values()]);
  const kept = restoreKeptState(deps.store, logger);
  // The restart-loop rule's counts too, so a loop that spans the restart is still seen (container-history.ts).
  const containerHistory = containerHistoryKeeper(deps.store, settings.thresholds.restartLoopWindowMs, logger);
  history = { ...history, containers: containerHistory.restore(clock.now(), deps.docker ? settings.dockerHosts : []) };
  /** The task list of the last evaluation (the analysis quotes it). */
  let lastTasks: readonly TaskView[] = [];
  const counters = {
    evaluations: 0,
    lastEvaluationMs: undefined as number | undefined,
    localCalls: 0,
    cloudCalls: 0,
    notificationsSent: 0,
    autonomousAttempts: 0,
  };
  const unsubscribers: (() => void)[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  const records = createAlertRecords(deps, book, kept);
  const observer = createMonitorObserver(deps, settings);
  const notifications = createMonitorNotifications(deps, settings, {
    timeline: records.timeline,
    onSent: () => {
      counters.notificationsSent += 1;
    },
  });
  const remediate = createRemediator(deps, settings, {
    records,
    kept,
    notifyTicket: notifications.notifyTicket,
    onAttempt: () => {
      counters.autonomousAttempts += 1;
    },
  });
  const analyse = createMonitorAnalysis(deps, settings, {
    records,
    kept,
    lastTasks: () => lastTasks,
    history: () => history,
    onCall: (provider) => {
      if (provider === 'cloud') counters.cloudCalls += 1;
      else if (provider === 'local') counters.localCalls += 1;
    },
  });
  const schedule = createAnalysisSchedule(deps, settings.cadence, analyse, () => records.book.active.size);

  // ---- inputs from the event seam ----
  if (deps.bus) {
    unsubscribers.push(...observer.listen(deps.bus));
    unsubscribers.push(
      deps.bus.on('ticket.opened', (ticket) => {
        // The monitor's own tickets are pushed by the remediator, with their alert's severity.
        if (!ticket.requestedBy.startsWith('monitor:'))
          notifications.notifyTicket(ticket.ticketId, ticket.summary, ticket.requestedBy, ticket.expiresAt, 'critical');
      }),
    );
  }

  // ---- one evaluation ----
  async function evaluateOnce(poll: PollResult | undefined): Promise<readonly AlertTransition[]> {
    const started = clock.now();
    const observation = await observer.gather(poll, started, history);
    history = advance(history, observation, settings.thresholds, settings.self);
    if (observation.containers) containerHistory.observed(history.containers, observation.at);
    lastTasks = observation.tasks;
    const findings = evaluateRules({ history, observation, thresholds: settings.thresholds, self: settings.self }, settings.disabledRules);
    const applied = applyFindings(records.book, findings, observation.at, settings.book, newId);
    records.book = applied.book;
    const batch: Notification[] = [];
    let opened = false;
    for (const transition of applied.transitions) {
      records.recordTransition(transition);
      if (transition.kind === 'opened' || transition.kind === 'reopened' || transition.kind === 'escalated') opened = true;
      if (transition.kind === 'reopened' || transition.kind === 'resolved') kept.endIncident(transition.alert.id);
      if (transitionNotifies(transition, observation.at)) batch.push(notifications.notificationOf(transition));
    }
    notifications.send(batch);
    await remediate(findings, observation);
    schedule.afterEvaluation(opened, records.book.active.size, observation.at);
    counters.evaluations += 1;
    counters.lastEvaluationMs = clock.now() - started;
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

  return {
    evaluate,
    analysisTick: () => schedule.tick(),
    start() {
      if (schedule.running) return;
      unsubscribers.push(
        deps.poller.subscribe((result) => {
          void evaluate(result).then(() => schedule.tick());
        }),
      );
      schedule.start();
    },
    async stop() {
      schedule.stop();
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      await queue.catch(() => undefined);
    },
    list: (query) => records.list(query),
    detail: (id) => records.detail(id),
    command: async (id, command) => records.command(id, command),
    channels: () => deps.dispatcher.status(),
    stats: () => {
      const queued = notifications.queued();
      return { ...counters, notificationsPending: queued.pending, notificationsDropped: queued.dropped, cadence: schedule.cadence };
    },
    notificationsIdle: () => notifications.idle(),
    testChannel: (channel) => notifications.testChannel(channel),
  };
}
