/**
 * Autonomy within the kernel: which act a rule's playbook proposes for a finding, and whether the
 * monitor may propose it now (per-target cooldown, global rate limit, maintenance window,
 * emergency stop). The kernel still decides every proposal; this gate only keeps the monitor
 * from trying often. An attempt counts when it is made, whatever its outcome, so a target gets
 * at most one attempt per cooldown. Pure: time arrives as an argument.
 */
import type { Action, ActionKind, Target } from '../domain/action.ts';
import type { Finding, RuleId } from './types.ts';

/** The remedy a rule's playbook proposes; the kernel's tier decides whether it runs, asks, or is refused. */
export interface Remedy {
  readonly kind: ActionKind;
  readonly target: Target;
  readonly params?: Readonly<Record<string, unknown>> | undefined;
  readonly reason: string;
}

/** Playbooks, one per rule that has a remedy. Rules without one only alert (and get an analysis). */
export const PLAYBOOKS: Partial<Readonly<Record<RuleId, (finding: Finding) => Remedy | undefined>>> = {
  // Start a guest that stopped with nothing explaining it (red by default: becomes a ticket).
  'guest-crashed': (finding) => {
    const vmid = Number(finding.facts['vmid']);
    const node = String(finding.facts['node'] ?? '');
    if (!Number.isInteger(vmid) || vmid < 100) return undefined;
    return { kind: 'guest.start', target: { type: 'guest', vmid, ...(node ? { node } : {}) }, reason: `monitor: ${finding.title}` };
  },
  // Restart a failed unit (yellow: runs for allowlisted units, notifies).
  'unit-failed': (finding) => {
    const node = String(finding.facts['node'] ?? '');
    const unit = String(finding.facts['unit'] ?? '').replace(/\.service$/, '');
    if (!node || !unit) return undefined;
    return { kind: 'service.restart', target: { type: 'service', node, unit }, reason: `monitor: ${finding.title}` };
  },
  // Delete old temp files on a node whose root storage fills (yellow).
  'storage-full': (finding) => {
    const node = String(finding.facts['node'] ?? '');
    if (!node || finding.facts['storage'] !== 'local') return undefined;
    return { kind: 'cleanup.temp', target: { type: 'node', node }, reason: `monitor: ${finding.title}` };
  },
  // Restarting a looping container again rarely helps; stopping it is red: a ticket for a human.
  'container-restart-loop': (finding) => {
    const host = String(finding.facts['host'] ?? '');
    const name = String(finding.facts['container'] ?? '');
    if (!host || !name) return undefined;
    return { kind: 'container.stop', target: { type: 'container', host, name }, reason: `monitor: ${finding.title}` };
  },
};

/** Builds the action the monitor proposes (actor = monitor:<rule>). */
export function remedyAction(finding: Finding, remedy: Remedy): Action {
  return {
    kind: remedy.kind,
    target: remedy.target,
    params: { ...(remedy.params ?? {}) },
    actor: { kind: 'monitor', rule: finding.rule },
    reason: remedy.reason.slice(0, 2000),
  };
}

export interface AutonomyConfig {
  /** Whether the monitor proposes remedies at all. */
  readonly enabled: boolean;
  /** Minimum time between two attempts on the same target. */
  readonly cooldownMs: number;
  /** At most this many attempts in any sliding hour, all targets together. */
  readonly maxPerHour: number;
}

export interface AutonomyState {
  /** remedy target key -> time of the last attempt. */
  readonly lastAttempt: ReadonlyMap<string, number>;
  /** Times of recent attempts (within the last hour), oldest first. */
  readonly recent: readonly number[];
}

export function emptyAutonomyState(): AutonomyState {
  return { lastAttempt: new Map(), recent: [] };
}

export type GateDecision = { readonly allow: true; readonly state: AutonomyState } | { readonly allow: false; readonly reason: string };

/** Key the cooldown is kept per: the remedy's kind and target. */
export function remedyKey(remedy: Remedy): string {
  return `${remedy.kind}|${JSON.stringify(remedy.target)}`;
}

/**
 * May the monitor attempt `remedy` now? On allow, the returned state already records the
 * attempt. `frozen` (emergency stop) and `maintenance` always refuse.
 */
export function gateAttempt(
  state: AutonomyState,
  remedy: Remedy,
  now: number,
  config: AutonomyConfig,
  context: { readonly frozen: boolean; readonly maintenance: boolean },
): GateDecision {
  if (!config.enabled) return { allow: false, reason: 'autonomy is off (monitor.autonomy.enabled)' };
  if (context.frozen) return { allow: false, reason: 'emergency stop is on' };
  if (context.maintenance) return { allow: false, reason: 'maintenance window: no autonomous act' };
  const key = remedyKey(remedy);
  const last = state.lastAttempt.get(key);
  if (last !== undefined && now - last < config.cooldownMs) {
    return { allow: false, reason: `cooldown: last attempt ${Math.round((now - last) / 1000)} s ago (cooldown ${Math.round(config.cooldownMs / 1000)} s)` };
  }
  const recent = state.recent.filter((time) => now - time < 3_600_000 && time <= now);
  if (recent.length >= config.maxPerHour)
    return { allow: false, reason: `rate limit: ${recent.length} autonomous attempts in the last hour (max ${config.maxPerHour})` };
  const lastAttempt = new Map(state.lastAttempt);
  lastAttempt.set(key, now);
  return { allow: true, state: { lastAttempt, recent: [...recent, now] } };
}
