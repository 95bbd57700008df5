/**
 * The local model's analysis of the open incidents: only incidents with something new since the
 * last analysis, with their framed snapshot entries, tool output (alert-evidence.ts) and memory;
 * the cloud only on the explicit escalation rule, within the daily budget, once per alert. The
 * text is advice on the alert (timeline and dashboard), never an act.
 */
import { shouldEscalate, type Alert, type MonitorHistory, type TaskView } from '../../core/anomaly/index.ts';
import { alertEvidence } from './alert-evidence.ts';
import type { AlertRecords } from './alert-records.ts';
import { ANALYSIS_SYSTEM, framedContext, memoryContext } from './analysis-prompt.ts';
import type { KeptState } from './monitor-restore.ts';
import type { MonitorDeps, MonitorSettings } from './monitor-types.ts';

/** Runs one analysis at `now` if any open incident has something new. Failures are logged; bugs throw (the schedule catches them). */
export type Analyse = (now: number) => Promise<void>;

export function createMonitorAnalysis(
  deps: Pick<MonitorDeps, 'gateway' | 'memory' | 'poller' | 'cluster' | 'shell' | 'docker' | 'publish' | 'logger'>,
  settings: Pick<MonitorSettings, 'analysisEnabled' | 'escalation' | 'memoryShare'>,
  parts: {
    readonly records: AlertRecords;
    readonly kept: KeptState;
    /** The task list of the last evaluation (quoted as evidence). */
    readonly lastTasks: () => readonly TaskView[];
    /** The rules' history (the failed units of a unit-failed incident's node). */
    readonly history: () => MonitorHistory;
    /** Counts each answered call by the provider that answered (stats). */
    readonly onCall: (provider: string) => void;
  },
): Analyse {
  const { records, kept } = parts;
  const { logger } = deps;

  function record(alerts: readonly Alert[], text: string, origin: string, now: number): void {
    const advice = text.trim().slice(0, 4000);
    if (!advice) return;
    for (const alert of alerts) {
      records.analyses.set(alert.id, { text: advice, origin, at: now, seenCount: alert.count });
      records.timeline(alert.id, 'analysis', advice, { origin });
      const current = records.book.active.get(alert.key);
      if (current) deps.publish?.({ type: 'alert-change', payload: records.toDto(current) });
    }
  }

  return async function analyse(now) {
    const open = [...records.book.active.values()].filter((alert) => alert.state === 'open').slice(0, 5);
    if (!deps.gateway || !settings.analysisEnabled || open.length === 0) return;
    const fresh = open.filter((alert) => records.analyses.get(alert.id)?.seenCount !== alert.count);
    if (fresh.length === 0) return;
    // Tool output of the first incidents (a read each at most), inside the incidents block so the
    // memory share below is computed after it.
    const evidence = (
      await Promise.all(
        fresh
          .slice(0, 3)
          .map((alert) => alertEvidence(alert, parts.lastTasks(), { cluster: deps.cluster, shell: deps.shell, docker: deps.docker, logger }, now)),
      )
    ).filter((block) => block !== '');
    const framed = framedContext(fresh, now, deps.poller.current().snapshot, parts.history().failedUnits);
    const incidents = `Open incidents:\n${framed}${evidence.length > 0 ? `\nTool output about them:\n${evidence.join('\n')}` : ''}`;
    const content = `${incidents}${await memoryContext(deps, settings.memoryShare, fresh, incidents)}`;
    // The spend ledger links an analysis to the alerts it was about (a model call has no audit row).
    const auditId = `alerts:${fresh.map((alert) => alert.id).join(',')}`;
    const result = await deps.gateway.complete({
      purpose: 'monitor-analysis',
      auditId,
      class: 'background',
      category: 'routine',
      provider: 'local',
      system: ANALYSIS_SYSTEM,
      messages: [{ role: 'user', content }],
      maxOutputTokens: 300,
    });
    if (!result.ok) {
      logger.warn({ code: result.error.code }, `monitor analysis failed: ${result.error.message}`);
      return;
    }
    parts.onCall(result.value.origin.provider);
    record(fresh, result.value.text, result.value.origin.label, now);
    // Cloud only on explicit escalation rules, within the daily budget, once per alert.
    const day = Math.floor(now / 86_400_000);
    if (kept.cloudDay.day !== day) kept.cloudDay = { day, calls: 0 };
    const escalate = fresh.filter((alert) =>
      shouldEscalate(alert, now, settings.escalation, { cloudCallsToday: kept.cloudDay.calls, escalatedAlready: kept.escalated.has(alert.id) }),
    );
    if (escalate.length === 0) return;
    for (const alert of escalate) kept.escalated.add(alert.id);
    kept.cloudDay = { day, calls: kept.cloudDay.calls + 1 };
    kept.save();
    const cloud = await deps.gateway.complete({
      purpose: 'monitor-analysis',
      auditId: `alerts:${escalate.map((alert) => alert.id).join(',')}`,
      class: 'background',
      category: 'complex',
      provider: 'cloud',
      system: ANALYSIS_SYSTEM,
      messages: [{ role: 'user', content: `Escalated: ${content}` }],
      maxOutputTokens: 500,
    });
    if (cloud.ok) {
      if (cloud.value.origin.provider === 'cloud') parts.onCall('cloud');
      record(escalate, cloud.value.text, cloud.value.origin.label, now);
    }
  };
}
