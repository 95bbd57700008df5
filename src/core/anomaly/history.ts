/**
 * What the rules remember between evaluations: since when a pressure has lasted, the storage
 * fill trend, the previous guest states, container restarts, the last unit check. Pure: `advance`
 * returns a new history from the previous one and an observation; nothing reads a clock.
 *
 * Pressure is kept as "above the threshold since t" (not as samples), so a sustained-pressure
 * check is O(1) per node/guest even at 4000 guests.
 */
import type { LastBackupView, Observation, RuleThresholds, SelfRef } from './types.ts';

export interface StorageSample {
  readonly time: number;
  readonly used: number;
  readonly total: number;
}

export interface MonitorHistory {
  /** `cpu:node:pve`, `mem:guest:101`, `iowait:node:pve` -> epoch ms since when it has been above its threshold. */
  readonly pressureSince: ReadonlyMap<string, number>;
  /** Latest value of each key under pressure (for the finding's facts). */
  readonly pressureValue: ReadonlyMap<string, number>;
  /** storage id -> samples within the trend window, oldest first. */
  readonly storage: ReadonlyMap<string, readonly StorageSample[]>;
  /** vmid -> last status seen (with node). */
  readonly guestStatus: ReadonlyMap<number, { readonly status: string; readonly node: string; readonly at: number }>;
  /**
   * vmid -> when it was seen going from running to stopped with nothing explaining it. `confirmed`
   * only once a task list read at or after that moment saw no task explaining it either: until
   * then the stop is a suspicion and no rule reports it (a human's `qm stop` must not look like a
   * crash because the task list had not been read yet).
   */
  readonly crashed: ReadonlyMap<number, Crash>;
  /** `host/name` -> last restart count and the times it went up. */
  readonly containers: ReadonlyMap<string, { readonly count: number; readonly restarts: readonly number[]; readonly state: string }>;
  /** Last unit check (node -> failed units). */
  readonly failedUnits: Readonly<Record<string, readonly string[]>>;
  /** Last IO-wait sample time per node (rrddata repeats samples; only newer ones count). */
  readonly ioWaitSeen: ReadonlyMap<string, number>;
  /** vmid -> its newest successful backup seen so far (vzdump tasks that ended OK, other sources' reports). */
  readonly lastBackupOk: ReadonlyMap<number, LastBackupView>;
}

/** A guest seen stopping with nothing explaining it (see MonitorHistory.crashed). */
export interface Crash {
  /** When the stop was first seen (the evaluation's time). */
  readonly at: number;
  /** When the guest was last seen running (the stop happened between this and `at`). */
  readonly runningAt: number;
  readonly node: string;
  readonly to: string;
  readonly confirmed: boolean;
}

export function emptyHistory(): MonitorHistory {
  return {
    pressureSince: new Map(),
    pressureValue: new Map(),
    storage: new Map(),
    guestStatus: new Map(),
    crashed: new Map(),
    containers: new Map(),
    failedUnits: {},
    ioWaitSeen: new Map(),
    lastBackupOk: new Map(),
  };
}

/**
 * Seeds a fresh history from the alerts still active after a restart, for conditions the rules
 * see only as a transition: a guest-crashed alert keeps its guest crashed (confirmed) until the
 * guest is seen running, instead of resolving because no running->stopped change is seen again.
 */
export function seedHistory(
  history: MonitorHistory,
  alerts: readonly { readonly rule: string; readonly facts: Readonly<Record<string, unknown>> }[],
): MonitorHistory {
  const crashed = new Map(history.crashed);
  const guestStatus = new Map(history.guestStatus);
  for (const alert of alerts) {
    if (alert.rule !== 'guest-crashed') continue;
    const vmid = alert.facts['vmid'];
    const node = alert.facts['node'];
    const since = alert.facts['since'];
    if (typeof vmid !== 'number' || typeof node !== 'string' || typeof since !== 'number') continue;
    const to = typeof alert.facts['status'] === 'string' ? alert.facts['status'] : 'stopped';
    crashed.set(vmid, { at: since, runningAt: since, node, to, confirmed: true });
    guestStatus.set(vmid, { status: to, node, at: since });
  }
  return { ...history, crashed, guestStatus };
}

/** Task types that stop, move or pause a guest on purpose. */
const GUEST_STOPPING_TASKS =
  /^(qmstop|qmshutdown|qmreboot|qmigrate|qmsuspend|qmpause|vzstop|vzshutdown|vzreboot|vzmigrate|vzsuspend|vzdump|qmdestroy|vzdestroy|qmrollback|vzrollback|hamigrate|hastop|guest\.(stop|shutdown|reboot|migrate))$/;

/**
 * True when a task explains a guest stopping between `window.from` (last seen running) and
 * `window.to` (first seen stopped): a guest task that stops, moves or pauses it and overlaps that
 * interval widened by `taskGraceMs` (for clock skew and PVE's own lag), or a node-wide backup on
 * its node overlapping it. Judged against the stop's interval, not the evaluation's time, so a task
 * list read later, or a coarse poll, still explains it.
 */
export function stopExplained(
  observation: Observation,
  vmid: number,
  node: string,
  thresholds: RuleThresholds,
  window: { readonly from: number; readonly to: number } = { from: observation.at, to: observation.at },
): boolean {
  return observation.tasks.some((task) => {
    const overlaps =
      task.startedAt <= window.to + thresholds.taskGraceMs &&
      (task.status === 'running' || task.endedAt === undefined || task.endedAt >= window.from - thresholds.taskGraceMs);
    if (!overlaps) return false;
    if (task.vmid === vmid && GUEST_STOPPING_TASKS.test(task.type)) return true;
    // A node-wide backup (vzdump without a vmid) on the guest's node explains it too.
    return task.type === 'vzdump' && task.vmid === undefined && task.node === node;
  });
}

/** True when the task list was read at or after `at` (a task that caused a stop seen at `at` is in it). */
const tasksReadSince = (observation: Observation, at: number): boolean => observation.tasksReadAt !== undefined && observation.tasksReadAt >= at;

function track(since: Map<string, number>, values: Map<string, number>, key: string, value: number | undefined, threshold: number, at: number): void {
  if (value !== undefined && Number.isFinite(value) && value >= threshold) {
    if (!since.has(key)) since.set(key, at);
    values.set(key, value);
  } else if (value !== undefined) {
    since.delete(key);
    values.delete(key);
  }
  // undefined (no data this round, e.g. a stopped guest's memory): keep what we knew.
}

const fraction = (used: number | undefined, total: number | undefined): number | undefined =>
  used !== undefined && total !== undefined && total > 0 ? used / total : undefined;

/** Folds one observation into the history. */
export function advance(previous: MonitorHistory, observation: Observation, thresholds: RuleThresholds, self: SelfRef): MonitorHistory {
  const at = observation.at;
  const pressureSince = new Map(previous.pressureSince);
  const pressureValue = new Map(previous.pressureValue);
  let storage = previous.storage as Map<string, readonly StorageSample[]>;
  let guestStatus = previous.guestStatus as Map<number, { status: string; node: string; at: number }>;
  let crashed = previous.crashed as Map<number, Crash>;
  const snapshot = observation.fresh ? observation.snapshot : undefined;

  if (snapshot) {
    const onlineNodes = new Set(snapshot.nodes.filter((node) => node.status === 'online').map((node) => node.name));
    for (const node of snapshot.nodes) {
      const cpuLimit = node.name === self.node ? Math.min(thresholds.cpu, thresholds.selfCpu) : thresholds.cpu;
      const memLimit = node.name === self.node ? Math.min(thresholds.memory, thresholds.selfMemory) : thresholds.memory;
      const online = node.status === 'online';
      track(pressureSince, pressureValue, `cpu:node:${node.name}`, online ? node.cpu : 0, cpuLimit, at);
      track(pressureSince, pressureValue, `mem:node:${node.name}`, online ? fraction(node.mem, node.maxmem) : 0, memLimit, at);
    }
    const seenGuests = new Set<number>();
    guestStatus = new Map();
    crashed = new Map(previous.crashed);
    for (const guest of snapshot.guests) {
      seenGuests.add(guest.vmid);
      const running = guest.status === 'running';
      const isSelf = guest.vmid === self.vmid;
      const cpuLimit = isSelf ? Math.min(thresholds.cpu, thresholds.selfCpu) : thresholds.cpu;
      const memLimit = isSelf ? Math.min(thresholds.memory, thresholds.selfMemory) : thresholds.memory;
      track(pressureSince, pressureValue, `cpu:guest:${guest.vmid}`, running ? guest.cpu : 0, cpuLimit, at);
      track(pressureSince, pressureValue, `mem:guest:${guest.vmid}`, running ? fraction(guest.mem, guest.maxmem) : 0, memLimit, at);
      guestStatus.set(guest.vmid, { status: guest.status, node: guest.node, at });
      const before = previous.guestStatus.get(guest.vmid);
      if (running) crashed.delete(guest.vmid);
      else if (
        before?.status === 'running' &&
        (guest.status === 'stopped' || guest.status === 'internal-error' || guest.status === 'io-error') &&
        onlineNodes.has(guest.node) &&
        !observation.maintenance &&
        guest.lock !== 'backup' &&
        guest.lock !== 'migrate'
      ) {
        crashed.set(guest.vmid, { at, runningAt: before.at, node: guest.node, to: guest.status, confirmed: false });
      }
    }
    // A suspected crash is judged with a task list read at or after the stop: explained, it is
    // forgotten; unexplained, it is confirmed. A task showing up later still explains it.
    for (const [vmid, crash] of crashed) {
      if (stopExplained(observation, vmid, crash.node, thresholds, { from: crash.runningAt, to: crash.at })) crashed.delete(vmid);
      else if (!crash.confirmed && tasksReadSince(observation, crash.at)) crashed.set(vmid, { ...crash, confirmed: true });
    }
    for (const vmid of crashed.keys()) if (!seenGuests.has(vmid)) crashed.delete(vmid);
    // A guest removed from the cluster takes its pressure state with it.
    for (const key of pressureSince.keys()) {
      const match = /^(?:cpu|mem):guest:(\d+)$/.exec(key);
      if (match && !seenGuests.has(Number(match[1]))) {
        pressureSince.delete(key);
        pressureValue.delete(key);
      }
    }
    storage = new Map();
    for (const entry of snapshot.storage) {
      if (entry.used === undefined || entry.total === undefined || entry.total <= 0) continue;
      const kept = (previous.storage.get(entry.id) ?? []).filter((sample) => at - sample.time <= thresholds.storageTrendWindowMs && sample.time < at);
      storage.set(entry.id, [...kept, { time: at, used: entry.used, total: entry.total }]);
    }
  }

  const ioWaitSeen = new Map(previous.ioWaitSeen);
  for (const sample of [...(observation.ioWait ?? [])].sort((a, b) => a.time - b.time)) {
    const last = ioWaitSeen.get(sample.node);
    if (last !== undefined && sample.time <= last) continue;
    ioWaitSeen.set(sample.node, sample.time);
    track(pressureSince, pressureValue, `iowait:node:${sample.node}`, sample.iowait, thresholds.ioWait, sample.time);
  }

  let containers = previous.containers as Map<string, { count: number; restarts: readonly number[]; state: string }>;
  if (observation.containers) {
    containers = new Map();
    for (const container of observation.containers) {
      const key = `${container.host}/${container.name}`;
      const before = previous.containers.get(key);
      const grew = before !== undefined && container.restartCount > before.count ? container.restartCount - before.count : 0;
      const restarts = [...(before?.restarts ?? []), ...Array.from({ length: Math.min(grew, 50) }, () => at)].filter(
        (time) => at - time <= thresholds.restartLoopWindowMs,
      );
      containers.set(key, { count: container.restartCount, restarts, state: container.state });
    }
    const unreadHosts = new Set(observation.containersUnread?.hosts ?? []);
    const unreadKeys = new Set(observation.containersUnread?.keys ?? []);
    for (const [key, before] of previous.containers) {
      if (containers.has(key) || !(unreadKeys.has(key) || unreadHosts.has(key.slice(0, key.indexOf('/'))))) continue;
      containers.set(key, { ...before, restarts: before.restarts.filter((time) => at - time <= thresholds.restartLoopWindowMs) });
    }
  }

  return {
    pressureSince,
    pressureValue,
    storage,
    guestStatus,
    crashed,
    containers,
    lastBackupOk: foldBackups(previous.lastBackupOk, observation, snapshot),
    failedUnits: observation.failedUnits ? { ...previous.failedUnits, ...observation.failedUnits } : previous.failedUnits,
    ioWaitSeen,
  };
}

/**
 * Newest successful backup per guest: vzdump tasks of one guest that ended OK plus any other
 * source's report, kept across evaluations (PVE's task list forgets old tasks). A guest gone from
 * a fresh snapshot is forgotten.
 */
function foldBackups(
  previous: ReadonlyMap<number, LastBackupView>,
  observation: Observation,
  snapshot: Observation['snapshot'],
): ReadonlyMap<number, LastBackupView> {
  const seen: LastBackupView[] = [...(observation.lastBackups ?? [])];
  for (const task of observation.tasks) {
    if (task.type === 'vzdump' && task.status === 'OK' && task.vmid !== undefined && task.endedAt !== undefined)
      seen.push({ vmid: task.vmid, at: task.endedAt, node: task.node, source: 'vzdump-task' });
  }
  let next = previous as Map<number, LastBackupView>;
  for (const backup of seen) {
    if (!Number.isSafeInteger(backup.vmid) || !Number.isFinite(backup.at) || backup.at > observation.at) continue;
    const before = next.get(backup.vmid);
    if (before && before.at >= backup.at) continue;
    if (next === previous) next = new Map(previous);
    next.set(backup.vmid, backup);
  }
  if (snapshot && next.size > 0) {
    const present = new Set(snapshot.guests.map((guest) => guest.vmid));
    for (const vmid of next.keys()) {
      if (present.has(vmid)) continue;
      if (next === previous) next = new Map(previous);
      next.delete(vmid);
    }
  }
  return next;
}

/**
 * Least-squares fill rate (bytes per ms) over the samples; undefined with fewer than 2 samples
 * or a flat/shrinking trend.
 */
export function fillRate(samples: readonly StorageSample[]): number | undefined {
  if (samples.length < 2) return undefined;
  const n = samples.length;
  const meanT = samples.reduce((sum, s) => sum + s.time, 0) / n;
  const meanU = samples.reduce((sum, s) => sum + s.used, 0) / n;
  let num = 0;
  let den = 0;
  for (const sample of samples) {
    num += (sample.time - meanT) * (sample.used - meanU);
    den += (sample.time - meanT) ** 2;
  }
  if (den === 0) return undefined;
  const rate = num / den;
  return rate > 0 ? rate : undefined;
}

/** Milliseconds until the storage is full at the current trend, or undefined when not filling. */
export function timeToFull(samples: readonly StorageSample[]): number | undefined {
  const rate = fillRate(samples);
  const last = samples.at(-1);
  if (rate === undefined || !last) return undefined;
  return Math.max(0, (last.total - last.used) / rate);
}
