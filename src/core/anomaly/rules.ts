/**
 * The deterministic anomaly rules: (history, observation, thresholds) -> findings. Pure; no
 * model is involved in deciding that something is wrong. Each rule is a small function listed
 * in `RULES`; a rule returns nothing when its input was not read this round.
 */
import { timeToFull, type MonitorHistory } from './history.ts';
import type { Finding, Observation, RuleId, RuleThresholds, SelfRef } from './types.ts';

export interface RuleContext {
  readonly history: MonitorHistory;
  readonly observation: Observation;
  readonly thresholds: RuleThresholds;
  readonly self: SelfRef;
}

type Rule = (context: RuleContext) => Finding[];

const pct = (value: number): number => Math.round(value * 1000) / 10;
const minutes = (ms: number): number => Math.round(ms / 6_000) / 10;

const nodeOffline: Rule = ({ observation }) => {
  const snapshot = observation.snapshot;
  if (!snapshot || !observation.fresh) return [];
  return snapshot.nodes
    .filter((node) => node.status !== 'online')
    .map((node) => ({
      rule: 'node-offline' as const,
      target: `node:${node.name}`,
      severity: 'critical' as const,
      title: `node ${node.name} is ${node.status}`,
      facts: { node: node.name, status: node.status },
    }));
};

const quorum: Rule = ({ observation }) => {
  const snapshot = observation.snapshot;
  if (!snapshot || !observation.fresh || snapshot.quorum.nodesTotal <= 1) return [];
  const q = snapshot.quorum;
  const facts = { votesOnline: q.votesOnline, votesNeeded: q.votesNeeded, votesTotal: q.votesTotal };
  if (!q.quorate)
    return [
      { rule: 'quorum-lost', target: 'cluster', severity: 'critical', title: `quorum lost: ${q.votesOnline} of ${q.votesNeeded} needed votes online`, facts },
    ];
  // One more node away from loss: the votes of the largest online voter would take it below.
  const maxVotes = Math.max(1, ...snapshot.nodes.filter((node) => node.status === 'online').map((node) => node.votes));
  if (q.votesOnline - maxVotes < q.votesNeeded) {
    return [
      {
        rule: 'quorum-at-edge',
        target: 'cluster',
        severity: 'warning',
        title: `quorum at the edge: losing one more node loses quorum (${q.votesOnline} online, ${q.votesNeeded} needed)`,
        facts,
      },
    ];
  }
  return [];
};

const guestCrashed: Rule = ({ history, observation }) => {
  const names = new Map((observation.snapshot?.guests ?? []).map((guest) => [guest.vmid, guest.name]));
  return [...history.crashed]
    .filter(([, crash]) => crash.confirmed)
    .map(([vmid, crash]) => ({
      rule: 'guest-crashed' as const,
      target: `guest:${vmid}`,
      severity: 'critical' as const,
      title: `guest ${vmid}${names.get(vmid) ? ` (${names.get(vmid)})` : ''} stopped unexpectedly on ${crash.node}`,
      facts: { vmid, node: crash.node, status: crash.to, since: crash.at },
    }));
};

/**
 * Running backups that explain pressure, each no longer than `backupSuppressMaxMs` (a backup
 * running longer is stuck or pathological: it stops hiding anything). A node's CPU and IO wait
 * are explained by any such backup on it; a guest's CPU only by its own backup (a vzdump of its
 * vmid, or a node-wide job while the guest holds the `backup` lock), never by a neighbour's.
 */
function backupsExplainingPressure(observation: Observation, thresholds: RuleThresholds): { nodes: Set<string>; guests: Set<number> } {
  const nodes = new Set<string>();
  const guests = new Set<number>();
  const nodeWide = new Set<string>();
  for (const task of observation.tasks) {
    if (task.type !== 'vzdump' || (task.status !== 'running' && task.endedAt !== undefined)) continue;
    if (observation.at - task.startedAt > thresholds.backupSuppressMaxMs) continue;
    nodes.add(task.node);
    if (task.vmid !== undefined) guests.add(task.vmid);
    else nodeWide.add(task.node);
  }
  for (const guest of observation.snapshot?.guests ?? []) if (guest.lock === 'backup' && nodeWide.has(guest.node)) guests.add(guest.vmid);
  return { nodes, guests };
}

const pressure: Rule = ({ history, observation, thresholds, self }) => {
  const findings: Finding[] = [];
  const backups = backupsExplainingPressure(observation, thresholds);
  for (const [key, since] of history.pressureSince) {
    const lasted = observation.at - since;
    if (lasted < thresholds.pressureWindowMs) continue;
    const [metric, kind, id] = key.split(':') as [string, string, string];
    const value = history.pressureValue.get(key) ?? 0;
    if ((metric === 'iowait' || metric === 'cpu') && (kind === 'node' ? backups.nodes.has(id) : backups.guests.has(Number(id)))) continue;
    const isSelf = (kind === 'node' && id === self.node) || (kind === 'guest' && Number(id) === self.vmid);
    const label = metric === 'mem' ? 'memory' : metric === 'iowait' ? 'IO wait' : 'CPU';
    const rule: RuleId = isSelf ? 'self-pressure' : kind === 'node' ? 'node-pressure' : 'guest-pressure';
    findings.push({
      rule,
      target: `${kind}:${id}:${metric}`,
      severity: isSelf ? 'critical' : 'warning',
      title: `${isSelf ? "Jarvis's own " : ''}${kind === 'node' ? 'node' : 'guest'} ${id}: ${label} at ${pct(value)}% for ${minutes(lasted)} min`,
      facts: { [kind]: kind === 'guest' ? Number(id) : id, metric, value: pct(value), forMinutes: minutes(lasted) },
    });
  }
  return findings;
};

const storageFull: Rule = ({ history, observation, thresholds }) => {
  const snapshot = observation.snapshot;
  if (!snapshot) return [];
  const findings: Finding[] = [];
  for (const entry of snapshot.storage) {
    const samples = history.storage.get(entry.id);
    const last = samples?.at(-1);
    if (!samples || !last) continue;
    const used = last.used / last.total;
    const ttf = timeToFull(samples);
    const soon = ttf !== undefined && ttf <= thresholds.storageTtfCriticalMs && used >= thresholds.storageWarn * 0.75;
    if (used < thresholds.storageWarn && !soon) continue;
    const critical = used >= thresholds.storageCritical || soon;
    const ttfText =
      ttf === undefined ? 'not growing' : ttf < 3_600_000 ? `full in ~${Math.round(ttf / 60_000)} min` : `full in ~${Math.round(ttf / 360_000) / 10} h`;
    findings.push({
      rule: 'storage-full',
      target: `storage:${entry.node}/${entry.storage}`,
      severity: critical ? 'critical' : 'warning',
      title: `storage ${entry.storage} on ${entry.node} ${pct(used)}% used, ${ttfText}`,
      facts: {
        node: entry.node,
        storage: entry.storage,
        usedPercent: pct(used),
        ...(ttf !== undefined ? { timeToFullMinutes: Math.round(ttf / 60_000) } : {}),
      },
    });
  }
  return findings;
};

const unitFailed: Rule = ({ history }) =>
  Object.entries(history.failedUnits).flatMap(([node, units]) =>
    units.map((unit) => ({
      rule: 'unit-failed' as const,
      target: `unit:${node}/${unit}`,
      severity: 'warning' as const,
      title: `systemd unit ${unit} failed on ${node}`,
      facts: { node, unit },
    })),
  );

const restartLoop: Rule = ({ history, thresholds }) => {
  const findings: Finding[] = [];
  for (const [key, container] of history.containers) {
    if (container.restarts.length < thresholds.restartLoopCount && container.state !== 'restarting') continue;
    if (container.restarts.length === 0) continue; // `restarting` once is a restart, not a loop
    const [host] = key.split('/');
    findings.push({
      rule: 'container-restart-loop',
      target: `container:${key}`,
      severity: 'warning',
      title: `container ${key} restarted ${container.restarts.length}x in ${minutes(thresholds.restartLoopWindowMs)} min`,
      facts: { host: host ?? '', container: key.slice((host ?? '').length + 1), restarts: container.restarts.length, state: container.state },
    });
  }
  return findings;
};

/**
 * Failed: the latest vzdump of a guest (or a node-wide job) ended with an error. Overdue: a guest
 * whose newest successful backup (any source, see history.lastBackupOk) is older than
 * `backupMaxAgeMs` — not while a backup of it runs, not when its latest backup failed (that alert
 * says more), not for templates or guests never seen backed up.
 */
const backups: Rule = ({ history, observation, thresholds }) => {
  const findings: Finding[] = [];
  const latest = new Map<string, { ok: boolean; at: number; status: string; node: string }>();
  const running = new Set<number>();
  for (const task of observation.tasks) {
    if (task.type !== 'vzdump') continue;
    if (task.status === 'running' || task.endedAt === undefined) {
      if (task.vmid !== undefined) running.add(task.vmid);
      continue;
    }
    const key = task.vmid !== undefined ? String(task.vmid) : `node-${task.node}`;
    const before = latest.get(key);
    if (!before || before.at < task.endedAt) latest.set(key, { ok: task.status === 'OK', at: task.endedAt, status: task.status, node: task.node });
  }
  const failed = new Set<string>();
  for (const [key, last] of latest) {
    if (last.ok) continue;
    const lastOk = history.lastBackupOk.get(Number(key));
    if (lastOk && lastOk.at > last.at) continue; // a newer success (another source) supersedes the failure
    failed.add(key);
    findings.push({
      rule: 'backup-failed',
      target: `backup:${key}`,
      severity: 'warning',
      title: `backup of ${key} failed on ${last.node}: ${last.status.slice(0, 120)}`,
      facts: { target: key, node: last.node, status: last.status.slice(0, 200), at: last.at },
    });
  }
  if (thresholds.backupMaxAgeMs <= 0 || history.lastBackupOk.size === 0) return findings;
  const guests = observation.snapshot ? new Map(observation.snapshot.guests.map((guest) => [guest.vmid, guest])) : undefined;
  for (const [vmid, last] of history.lastBackupOk) {
    const age = observation.at - last.at;
    if (age <= thresholds.backupMaxAgeMs || running.has(vmid) || failed.has(String(vmid))) continue;
    const guest = guests?.get(vmid);
    if (guests && (!guest || guest.template)) continue;
    findings.push({
      rule: 'backup-overdue',
      target: `backup:${vmid}`,
      severity: 'warning',
      title: `backup of ${vmid}${guest?.name ? ` (${guest.name})` : ''} overdue: last success ${Math.round(age / 3_600_000)} h ago (limit ${Math.round(thresholds.backupMaxAgeMs / 3_600_000)} h)`,
      facts: {
        target: String(vmid),
        vmid,
        node: guest?.node ?? last.node ?? '',
        lastOkAt: last.at,
        source: last.source,
        maxAgeHours: Math.round(thresholds.backupMaxAgeMs / 3_600_000),
      },
    });
  }
  return findings;
};

const canary: Rule = ({ observation }) =>
  observation.canary && !observation.canary.ok
    ? [
        {
          rule: 'llm-canary',
          target: 'model:canary',
          severity: 'warning',
          title: `LLM canary failing${observation.canary.detail ? `: ${observation.canary.detail.slice(0, 120)}` : ''}`,
          facts: { at: observation.canary.at },
        },
      ]
    : [];

const dependencyDown: Rule = ({ observation, thresholds }) =>
  Object.entries(observation.dependencies)
    .filter(([, state]) => !state.up && observation.at - state.since >= thresholds.dependencyGraceMs)
    .map(([name, state]) => ({
      rule: 'dependency-down' as const,
      target: `dependency:${name}`,
      severity: name === 'pve' ? ('critical' as const) : ('warning' as const),
      title: `${name} unreachable for ${minutes(observation.at - state.since)} min${state.reason ? `: ${state.reason.slice(0, 120)}` : ''}`,
      facts: { dependency: name, since: state.since },
    }));

/** Every rule, listed by hand. */
export const RULES: readonly Rule[] = [nodeOffline, quorum, guestCrashed, pressure, storageFull, unitFailed, restartLoop, backups, canary, dependencyDown];

/** Runs every rule; `disabled` rule ids are dropped. */
export function evaluateRules(context: RuleContext, disabled: readonly RuleId[] = []): Finding[] {
  const off = new Set(disabled);
  return RULES.flatMap((rule) => rule(context)).filter((finding) => !off.has(finding.rule));
}
