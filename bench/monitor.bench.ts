/**
 * Monitor numbers. Run: `npx tsx bench/monitor.bench.ts`.
 * 1. Time from scenario start to alert, in simulated time (10 s polls, production cadences and
 *    thresholds), against the embedded simulator over the wire (PVE HTTPS, SSH, Docker Engine API);
 *    goal: <= one poll + the rule's window (or its read cadence).
 * 2. Pushes per incident: alert pushes (opening + resolve) and ticket pushes of red remedies while
 *    the incident stays open 40 min, with the fault cleared afterwards; goal: 1 + resolve, 1 ticket.
 * 3. Local-model calls per calm hour, and during an incident hour, with a scripted model.
 * 4. Monitor CPU per poll at 32 nodes / 4000 guests: the pure rule pass (advance + rules + alert
 *    book) and a full evaluate() with in-memory ports, measured with process.cpuUsage.
 */
import { createMonitor } from '../src/app/monitor/monitor.ts';
import { MemoryAlertStore } from '../test/doubles/in-memory-alert-store.ts';
import { createNotifyDispatcher } from '../src/app/monitor/notify-dispatcher.ts';
import {
  advance,
  applyFindings,
  DEFAULT_ALERT_BOOK_CONFIG,
  DEFAULT_THRESHOLDS,
  emptyAlertBook,
  emptyHistory,
  evaluateRules,
  type Observation,
} from '../src/core/anomaly/index.ts';
import type { ClusterSnapshot, Guest } from '../src/core/domain/cluster.ts';
import { ok } from '../src/core/errors.ts';
import { silentLogger } from '../src/core/ports/logger.ts';
import { ManualClock, recordingNotifier, scriptedGateway, testSettings } from '../test/monitor/monitor-harness.ts';
import { startSimMonitor } from '../test/monitor/sim-harness.ts';

const POLL = 10_000;

/** Production cadences and thresholds (config defaults): tasks and containers 60 s, units 5 min, pressure window 5 min, clear after 60 s. */
const PRODUCTION = {
  thresholds: { ...DEFAULT_THRESHOLDS },
  book: { ...DEFAULT_ALERT_BOOK_CONFIG },
  tasksEveryMs: 60_000,
  containersEveryMs: 60_000,
  unitsEveryMs: 300_000,
  ioWaitEveryMs: 300_000,
};
/** How long each incident is left open before its fault is cleared (longer than the 30 min autonomy cooldown). */
const PERSIST_MS = 40 * 60_000;

async function timeToAlert(
  scenario: string,
  rule: string,
  clear?: { faults: boolean },
): Promise<{ ms: number | undefined; notifications: number; tickets: number }> {
  const h = await startSimMonitor({ settings: PRODUCTION });
  try {
    for (let i = 0; i < 2; i++) await h.step(POLL);
    h.scenario(scenario);
    const started = h.clock.now();
    let ms: number | undefined;
    let id: string | undefined;
    for (let i = 0; i < 90 && ms === undefined; i++) {
      await h.step(POLL);
      const alert = h.monitor.list({ status: 'active' }).find((entry) => entry.rule === rule);
      if (alert) {
        ms = h.clock.now() - started;
        id = alert.id;
      }
    }
    if (ms !== undefined) for (let t = 0; t < PERSIST_MS; t += POLL) await h.step(POLL);
    if (clear?.faults) {
      h.sim.world.clearFaults();
      for (let i = 0; i < 12; i++) await h.step(POLL);
    }
    const tickets = h.phone.sent.filter((n) => n.kind === 'ticket').length;
    return { ms, notifications: h.phone.sent.filter((n) => n.alertId === id).length, tickets };
  } finally {
    await h.close();
  }
}

function bigSnapshot(at: number, nodes = 32, guests = 4000): ClusterSnapshot {
  const names = ['Home', 'pve', 'agent1', 'agent', ...Array.from({ length: nodes - 4 }, (_, i) => `node${i + 5}`)];
  const list: Guest[] = Array.from({ length: guests }, (_, i) => ({
    vmid: 100 + i,
    name: `g${i}`,
    node: names[i % nodes]!,
    status: i % 5 === 0 ? 'stopped' : 'running',
    type: 'qemu',
    template: false,
    tags: [],
    cpu: ((i * 7919) % 100) / 130,
    mem: (i % 50) + 1,
    maxmem: 64,
  }));
  return {
    version: 1,
    takenAt: at,
    quorum: { quorate: true, nodesTotal: nodes, votesOnline: nodes, votesTotal: nodes, votesNeeded: nodes / 2 + 1 },
    nodes: names.map((name) => ({ name, status: 'online' as const, votes: 1, cpu: 0.3, mem: 30, maxmem: 64 })),
    guests: list,
    storage: names.map((node) => ({
      id: `storage/${node}/local`,
      storage: 'local',
      node,
      type: 'dir',
      status: 'available' as const,
      shared: false,
      content: [],
      used: 40,
      total: 100,
    })),
  };
}

function cpuPerPoll(): { pureMs: number; polls: number } {
  let history = emptyHistory();
  let book = emptyAlertBook();
  let id = 0;
  const polls = 200;
  for (let i = 0; i < 20; i++) {
    const observation: Observation = { at: i * POLL, snapshot: bigSnapshot(i * POLL), fresh: true, dependencies: {}, tasks: [], maintenance: false };
    history = advance(history, observation, DEFAULT_THRESHOLDS, { vmid: 103, node: 'agent1' });
  }
  const snapshots = Array.from({ length: polls }, (_, i) => bigSnapshot((i + 20) * POLL));
  const before = process.cpuUsage();
  for (let i = 0; i < polls; i++) {
    const observation: Observation = { at: (i + 20) * POLL, snapshot: snapshots[i], fresh: true, dependencies: {}, tasks: [], maintenance: false };
    history = advance(history, observation, DEFAULT_THRESHOLDS, { vmid: 103, node: 'agent1' });
    const findings = evaluateRules({ history, observation, thresholds: DEFAULT_THRESHOLDS, self: { vmid: 103, node: 'agent1' } });
    book = applyFindings(book, findings, observation.at, DEFAULT_ALERT_BOOK_CONFIG, () => `a${++id}`).book;
  }
  const used = process.cpuUsage(before);
  return { pureMs: (used.user + used.system) / 1000 / polls, polls };
}

async function fullEvaluateCpu(): Promise<number> {
  const clock = new ManualClock(Date.UTC(2026, 11, 4));
  const snapshots = Array.from({ length: 50 }, (_, i) => bigSnapshot(clock.now() + i * POLL));
  let current = snapshots[0]!;
  const monitor = createMonitor(
    {
      poller: {
        subscribe: () => () => undefined,
        current: () => ({ snapshot: current, version: 1, ageMs: 0, stale: false, lastError: undefined, lastErrorAt: undefined, consecutiveFailures: 0 }),
      },
      cluster: { clusterTasks: async () => ok([]), rrdData: async () => ok([]) },
      readFreeze: async () => false,
      store: new MemoryAlertStore(),
      dispatcher: createNotifyDispatcher([], { retries: 0, backoffMs: 0, sleep: async () => undefined, now: () => clock.now(), logger: silentLogger }),
      clock,
      logger: silentLogger,
    },
    testSettings({ sshNodes: [], dockerHosts: [] }),
  );
  for (let i = 0; i < 10; i++) {
    clock.advance(POLL);
    current = snapshots[i]!;
    await monitor.evaluate({ ok: true, version: i, snapshot: current, events: [], durationMs: 1, at: clock.now() });
  }
  const before = process.cpuUsage();
  for (let i = 10; i < 50; i++) {
    clock.advance(POLL);
    current = snapshots[i]!;
    await monitor.evaluate({ ok: true, version: i, snapshot: current, events: [], durationMs: 1, at: clock.now() });
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / 40;
}

async function modelCalls(): Promise<{ calm: number; incident: number; cloud: number }> {
  const count = async (crash: boolean) => {
    const clock = new ManualClock(Date.UTC(2026, 11, 4));
    const model = scriptedGateway();
    let stopped = false;
    const snap = (): ClusterSnapshot => ({
      ...bigSnapshot(clock.now(), 4, 4),
      guests: [{ vmid: 102, node: 'pve', type: 'qemu', status: stopped ? 'stopped' : 'running', template: false, tags: [] }],
    });
    const monitor = createMonitor(
      {
        poller: {
          subscribe: () => () => undefined,
          current: () => ({ snapshot: snap(), version: 1, ageMs: 0, stale: false, lastError: undefined, lastErrorAt: undefined, consecutiveFailures: 0 }),
        },
        cluster: { clusterTasks: async () => ok([]), rrdData: async () => ok([]) },
        readFreeze: async () => false,
        gateway: model.gateway,
        store: new MemoryAlertStore(),
        dispatcher: createNotifyDispatcher([recordingNotifier('phone')], {
          retries: 0,
          backoffMs: 0,
          sleep: async () => undefined,
          now: () => clock.now(),
          logger: silentLogger,
        }),
        clock,
        logger: silentLogger,
      },
      testSettings({ sshNodes: [], dockerHosts: [] }),
    );
    for (let t = 0; t < 3_600_000; t += POLL) {
      clock.advance(POLL);
      if (crash && t === POLL) stopped = true;
      await monitor.evaluate({ ok: true, version: 1, snapshot: snap(), events: [], durationMs: 1, at: clock.now() });
      await monitor.analysisTick();
    }
    return { local: model.calls.filter((c) => c.provider !== 'cloud').length, cloud: model.calls.filter((c) => c.provider === 'cloud').length };
  };
  const calm = await count(false);
  const incident = await count(true);
  return { calm: calm.local, incident: incident.local, cloud: calm.cloud + incident.cloud };
}

const cases: [string, string][] = [
  ['node-offline', 'node-offline'],
  ['quorum-edge', 'quorum-at-edge'],
  ['quorum-loss', 'quorum-lost'],
  ['guest-crash', 'guest-crashed'],
  ['disk-filling', 'storage-full'],
  ['unit-failure', 'unit-failed'],
  ['container-restart-loop', 'container-restart-loop'],
  ['backup-failed', 'backup-failed'],
  ['cpu-runaway', 'guest-pressure'],
  ['cpu-runaway', 'node-pressure'],
  ['memory-pressure', 'guest-pressure'],
  ['docker-down', 'dependency-down'],
];
console.log(`production cadences; each incident left open ${PERSIST_MS / 60_000} min, then its fault cleared for 2 min`);
console.log('| scenario | rule | time to alert (simulated) | alert pushes (open + resolve) | ticket pushes |');
console.log('|---|---|---|---|---|');
for (const [scenario, rule] of cases) {
  const result = await timeToAlert(scenario, rule, { faults: true });
  console.log(`| ${scenario} | ${rule} | ${result.ms === undefined ? 'none' : `${result.ms / 1000} s`} | ${result.notifications} | ${result.tickets} |`);
}
const calls = await modelCalls();
console.log(`\nlocal-model calls per calm hour: ${calls.calm}; during an hour with an open incident: ${calls.incident}; cloud calls: ${calls.cloud}`);
const cpu = cpuPerPoll();
console.log(`rule pass CPU per poll (32 nodes / 4000 guests, ${cpu.polls} polls): ${cpu.pureMs.toFixed(2)} ms`);
console.log(`full evaluate() CPU per poll (32 nodes / 4000 guests, in-memory ports): ${(await fullEvaluateCpu()).toFixed(2)} ms`);
