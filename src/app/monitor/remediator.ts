/**
 * Playbook autonomy: for each open, steady alert whose rule has a playbook, the gate (autonomy
 * switch, emergency stop, maintenance windows, per-target cooldown, hourly cap) may let the
 * monitor propose the remedy to the guarded executor (actor `monitor:<rule>`); the kernel decides
 * as for anyone. A ticket is pushed once and ends the attempts of its incident. Every attempt (or
 * refusal) lands on the alert's timeline with its audit link. Never throws.
 */
import { gateAttempt, PLAYBOOKS, remedyAction, type Finding, type Observation } from '../../core/anomaly/index.ts';
import { toJarvisError } from '../../core/errors.ts';
import type { ExecutionOutcome } from '../actions/execution-outcome.ts';
import type { AlertRecords } from './alert-records.ts';
import type { MonitorNotifications } from './monitor-notifications.ts';
import type { KeptState } from './monitor-restore.ts';
import type { MonitorDeps, MonitorSettings } from './monitor-types.ts';

export type Remediate = (findings: readonly Finding[], observation: Observation) => Promise<void>;

export function createRemediator(
  deps: Pick<MonitorDeps, 'executor' | 'readFreeze'>,
  settings: Pick<MonitorSettings, 'autonomy'>,
  parts: {
    readonly records: AlertRecords;
    readonly kept: KeptState;
    readonly notifyTicket: MonitorNotifications['notifyTicket'];
    /** Counts each attempt made (stats). */
    readonly onAttempt: () => void;
  },
): Remediate {
  const { records, kept } = parts;
  return async function remediate(findings, observation) {
    if (!deps.executor || !settings.autonomy.enabled) return;
    const byKey = new Map(findings.map((finding) => [`${finding.rule}|${finding.target}`, finding]));
    for (const alert of records.book.active.values()) {
      if (alert.state !== 'open' || alert.flapping) continue;
      const finding = byKey.get(alert.key);
      const remedy = finding ? PLAYBOOKS[finding.rule]?.(finding) : undefined;
      if (!finding || !remedy) continue;
      // One ticket per incident: a human has been asked (and pushed) once; a rejected or expired
      // ticket is their answer until the incident resolves or re-opens.
      if (kept.ticketed.has(alert.id)) continue;
      const frozen = await deps.readFreeze().catch(() => true);
      const gate = gateAttempt(kept.autonomy, remedy, observation.at, settings.autonomy, { frozen, maintenance: observation.maintenance });
      if (!gate.allow) {
        if (!gate.reason.startsWith('cooldown')) records.timeline(alert.id, 'act-skipped', `${remedy.kind}: ${gate.reason}`);
        continue;
      }
      kept.autonomy = gate.state;
      kept.save();
      parts.onAttempt();
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
          records.timeline(alert.id, 'act', `${remedy.kind} ran: ${outcome.summary}`, audit);
          break;
        case 'needs-confirmation':
          records.timeline(alert.id, 'ticket', `${remedy.kind} needs a human: ticket ${outcome.approval.id}`, { ...audit, ticketId: outcome.approval.id });
          kept.ticketed.set(alert.id, outcome.approval.id);
          kept.save();
          parts.notifyTicket(outcome.approval.id, `${remedy.kind} for ${alert.title}`, `monitor:${finding.rule}`, outcome.approval.expiresAt, alert.severity);
          break;
        case 'denied':
          records.timeline(alert.id, 'act-denied', `${remedy.kind} denied by the kernel: ${outcome.reasons.join('; ').slice(0, 500)}`, audit);
          break;
        case 'error':
          records.timeline(alert.id, 'act-failed', `${remedy.kind} failed: ${outcome.error.message}`, audit);
          break;
      }
    }
  };
}
