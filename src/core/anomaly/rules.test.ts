import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, Guest } from '../domain/cluster.ts';
import { advance, emptyHistory, timeToFull, type MonitorHistory } from './history.ts';
import { evaluateRules } from './rules.ts';
import { DEFAULT_THRESHOLDS, type Finding, type Observation, type TaskView } from './types.ts';

const SELF = { vmid: 103, node: 'agent1' };
const T0 = 1_800_000_000_000;

function guest(vmid: number, status = 'running', extra: Partial<Guest> = {}): Guest {
  return { vmid, type: 'qemu', node: 'pve', name: `vm${vmid}`, status, template: false, tags: [], cpu: 0.1, mem: 1, maxmem: 10, ...extra };
}

function snapshot(at: number, change: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    version: 1,
    takenAt: at,
    quorum: { quorate: true, nodesTotal: 4, votesOnline: 4, votesTotal: 4, votesNeeded: 3 },
    nodes: ['pve', 'agent', 'agent1', 'Home'].map((name) => ({ name, status: 'online' as const, votes: 1, cpu: 0.2, mem: 2, maxmem: 10 })),
    guests: [guest(101), guest(102), guest(103, 'running', { node: 'agent1' })],
    storage: [{ id: 'storage/pve/local', storage: 'local', node: 'pve', type: 'dir', status: 'available', shared: false, content: [], used: 50, total: 100 }],
    ...change,
  };
}

function observe(at: number, snap: ClusterSnapshot, extra: Partial<Observation> = {}): Observation {
  return { at, snapshot: snap, fresh: true, dependencies: {}, tasks: [], maintenance: false, ...extra };
}

function run(observations: Observation[]): { history: MonitorHistory; findings: Finding[] } {
  let history = emptyHistory();
  let findings: Finding[] = [];
  for (const observation of observations) {
    history = advance(history, observation, DEFAULT_THRESHOLDS, SELF);
    findings = evaluateRules({ history, observation, thresholds: DEFAULT_THRESHOLDS, self: SELF });
  }
  return { history, findings };
}

const rules = (findings: Finding[]) => findings.map((finding) => `${finding.rule} ${finding.target}`).sort();

describe('anomaly rules', () => {
  it('a healthy cluster yields nothing', () => {
    expect(run([observe(T0, snapshot(T0)), observe(T0 + 10_000, snapshot(T0 + 10_000))]).findings).toEqual([]);
  });

  it('node offline, and quorum one node from loss', () => {
    const snap = snapshot(T0, {
      nodes: snapshot(T0).nodes.map((node) => (node.name === 'agent' ? { ...node, status: 'offline' as const } : node)),
      quorum: { quorate: true, nodesTotal: 4, votesOnline: 3, votesTotal: 4, votesNeeded: 3 },
    });
    expect(rules(run([observe(T0, snap)]).findings)).toEqual(['node-offline node:agent', 'quorum-at-edge cluster']);
  });

  it('quorum lost is critical', () => {
    const snap = snapshot(T0, { quorum: { quorate: false, nodesTotal: 4, votesOnline: 2, votesTotal: 4, votesNeeded: 3 } });
    const found = run([observe(T0, snap)]).findings.find((finding) => finding.rule === 'quorum-lost');
    expect(found?.severity).toBe('critical');
  });

  it('a guest that stops with nothing explaining it crashed; a task, a backup or a maintenance window explains it', () => {
    const stopped = snapshot(T0 + 10_000, { guests: [guest(101), guest(102, 'stopped'), guest(103, 'running', { node: 'agent1' })] });
    const base = observe(T0, snapshot(T0));
    const read = { tasksReadAt: T0 + 10_000 };
    expect(rules(run([base, observe(T0 + 10_000, stopped, read)]).findings)).toEqual(['guest-crashed guest:102']);
    const task: TaskView = { id: 'UPID:x', node: 'pve', type: 'qmshutdown', vmid: 102, startedAt: T0, endedAt: T0 + 5_000, status: 'OK', byJarvis: false };
    expect(run([base, observe(T0 + 10_000, stopped, { tasks: [task], ...read })]).findings).toEqual([]);
    const backup: TaskView = { id: 'UPID:y', node: 'pve', type: 'vzdump', startedAt: T0, status: 'running', byJarvis: false };
    expect(run([base, observe(T0 + 10_000, stopped, { tasks: [backup], ...read })]).findings).toEqual([]);
    expect(run([base, observe(T0 + 10_000, stopped, { maintenance: true, ...read })]).findings).toEqual([]);
    // Started again: the incident's condition is gone.
    expect(run([base, observe(T0 + 10_000, stopped, read), observe(T0 + 20_000, snapshot(T0 + 20_000), { tasksReadAt: T0 + 20_000 })]).findings).toEqual([]);
  });

  it('a stop is held until a task list read at or after it: the stopping task read late explains it, no task confirms a crash', () => {
    const stopped = (at: number) => snapshot(at, { guests: [guest(101), guest(102, 'stopped'), guest(103, 'running', { node: 'agent1' })] });
    const base = observe(T0, snapshot(T0), { tasksReadAt: T0 - 30_000 });
    // The stop is seen at T0+10s; the last task read is older: nothing yet, however long it takes.
    const held = [base, observe(T0 + 10_000, stopped(T0 + 10_000), { tasksReadAt: T0 - 30_000 })];
    for (let i = 2; i < 8; i++) held.push(observe(T0 + i * 10_000, stopped(T0 + i * 10_000), { tasksReadAt: T0 - 30_000 }));
    expect(run(held).findings).toEqual([]);
    // A human's qmstop that ended before the stop was seen shows up in a read 60 s later: explained, never reported.
    const qmstop: TaskView = {
      id: 'UPID:h',
      node: 'pve',
      type: 'qmstop',
      vmid: 102,
      startedAt: T0 + 4_000,
      endedAt: T0 + 6_000,
      status: 'OK',
      byJarvis: false,
    };
    const late = [...held, observe(T0 + 80_000, stopped(T0 + 80_000), { tasks: [qmstop], tasksReadAt: T0 + 80_000 })];
    expect(run(late).findings).toEqual([]);
    expect(run(late).history.crashed.size).toBe(0);
    // The same late read without a task: a crash.
    const crash = [...held, observe(T0 + 80_000, stopped(T0 + 80_000), { tasksReadAt: T0 + 80_000 })];
    expect(rules(run(crash).findings)).toEqual(['guest-crashed guest:102']);
  });

  it('a stop task between the last poll that saw the guest running and the one that sees it stopped explains it, however coarse the polls', () => {
    const stopped = snapshot(T0 + 20 * 60_000, { guests: [guest(101), guest(102, 'stopped'), guest(103, 'running', { node: 'agent1' })] });
    const qmstop: TaskView = {
      id: 'UPID:h',
      node: 'pve',
      type: 'qmstop',
      vmid: 102,
      startedAt: T0 + 60_000,
      endedAt: T0 + 62_000,
      status: 'OK',
      byJarvis: false,
    };
    const seen = observe(T0 + 20 * 60_000, stopped, { tasks: [qmstop], tasksReadAt: T0 + 20 * 60_000 });
    expect(run([observe(T0, snapshot(T0)), seen]).findings).toEqual([]);
    // The same task before the guest was last seen running explains nothing.
    const earlier = { ...qmstop, startedAt: T0 - 30 * 60_000, endedAt: T0 - 29 * 60_000 };
    const unexplained = observe(T0 + 20 * 60_000, stopped, { tasks: [earlier], tasksReadAt: T0 + 20 * 60_000 });
    expect(rules(run([observe(T0, snapshot(T0)), unexplained]).findings)).toEqual(['guest-crashed guest:102']);
  });

  it('pressure must last the window: one hot sample is not a finding', () => {
    const hot = (at: number) => snapshot(at, { guests: [guest(101, 'running', { cpu: 0.99 }), guest(102), guest(103, 'running', { node: 'agent1' })] });
    expect(run([observe(T0, hot(T0))]).findings).toEqual([]);
    const samples = Array.from({ length: 32 }, (_, i) => observe(T0 + i * 10_000, hot(T0 + i * 10_000)));
    expect(rules(run(samples).findings)).toEqual(['guest-pressure guest:101:cpu']);
    // A dip resets it.
    const dipped = [...samples.slice(0, 20), observe(T0 + 200_005, snapshot(T0 + 200_005)), ...samples.slice(21)];
    expect(run(dipped).findings).toEqual([]);
  });

  it("Jarvis's own VM under pressure is self-pressure (critical, lower threshold)", () => {
    const hot = (at: number) => snapshot(at, { guests: [guest(101), guest(102), guest(103, 'running', { node: 'agent1', mem: 9.1, maxmem: 10 })] });
    const found = run(Array.from({ length: 32 }, (_, i) => observe(T0 + i * 10_000, hot(T0 + i * 10_000)))).findings;
    expect(found.map((finding) => [finding.rule, finding.severity])).toEqual([['self-pressure', 'critical']]);
  });

  it('IO wait from rrddata: sustained across samples, ignored during a backup on that node', () => {
    const io = Array.from({ length: 7 }, (_, i) => ({ node: 'pve', time: T0 + i * 60_000, iowait: 0.4 }));
    const obs = observe(T0 + 6 * 60_000, snapshot(T0 + 6 * 60_000), { ioWait: io });
    expect(rules(run([obs]).findings)).toEqual(['node-pressure node:pve:iowait']);
    const backup: TaskView = { id: 'b', node: 'pve', type: 'vzdump', startedAt: T0, status: 'running', byJarvis: false };
    expect(run([{ ...obs, tasks: [backup] }]).findings).toEqual([]);
  });

  it("a backup explains only its own guest's CPU (and its node's), never a neighbour's, and only for backupSuppressMaxMs", () => {
    // Guests 101 and 102 on pve both run hot for 6 min while a vzdump of 101 runs there.
    const hot = (at: number) =>
      snapshot(at, { guests: [guest(101, 'running', { cpu: 0.99 }), guest(102, 'running', { cpu: 0.99 }), guest(103, 'running', { node: 'agent1' })] });
    const backupOf101: TaskView = { id: 'b', node: 'pve', type: 'vzdump', vmid: 101, startedAt: T0, status: 'running', byJarvis: false };
    const during = (tasks: TaskView[], start = T0) => Array.from({ length: 37 }, (_, i) => observe(start + i * 10_000, hot(start + i * 10_000), { tasks }));
    expect(rules(run(during([backupOf101])).findings)).toEqual(['guest-pressure guest:102:cpu']);
    // A node-wide job: only the guest holding the backup lock is explained.
    const nodeWide: TaskView = { id: 'n', node: 'pve', type: 'vzdump', startedAt: T0, status: 'running', byJarvis: false };
    const locked = (at: number) =>
      snapshot(at, {
        guests: [guest(101, 'running', { cpu: 0.99, lock: 'backup' }), guest(102, 'running', { cpu: 0.99 }), guest(103, 'running', { node: 'agent1' })],
      });
    const nodeWideRun = Array.from({ length: 37 }, (_, i) => observe(T0 + i * 10_000, locked(T0 + i * 10_000), { tasks: [nodeWide] }));
    expect(rules(run(nodeWideRun).findings)).toEqual(['guest-pressure guest:102:cpu']);
    // A backup stuck for longer than backupSuppressMaxMs (6 h) explains nothing any more.
    const stuck: TaskView = { ...backupOf101, startedAt: T0 - 7 * 3_600_000 };
    expect(rules(run(during([stuck])).findings)).toEqual(['guest-pressure guest:101:cpu', 'guest-pressure guest:102:cpu']);
  });

  it('storage above the threshold, with a time-to-full estimate', () => {
    const obs = [0, 1, 2, 3].map((i) => {
      const at = T0 + i * 60_000;
      return observe(at, snapshot(at, { storage: [{ ...snapshot(at).storage[0]!, used: 86 + i, total: 100 }] }));
    });
    const { findings, history } = run(obs);
    expect(rules(findings)).toEqual(['storage-full storage:pve/local']);
    expect(timeToFull(history.storage.get('storage/pve/local')!)).toBeCloseTo(11 * 60_000, -3);
    expect(findings[0]!.facts['timeToFullMinutes']).toBe(11);
    expect(findings[0]!.severity).toBe('critical'); // full in 11 min < 6 h
  });

  it('failed units, restart loops, failed backups, canary and dependencies', () => {
    const failedBackup: TaskView = {
      id: 'v',
      node: 'pve',
      type: 'vzdump',
      vmid: 101,
      startedAt: T0 - 60_000,
      endedAt: T0 - 1_000,
      status: 'ERROR: job failed',
      byJarvis: false,
    };
    const first = observe(T0, snapshot(T0), {
      failedUnits: { pve: ['pve-ha-lrm'] },
      containers: [{ host: 'docker@103', name: 'kuma', state: 'running', restartCount: 0 }],
      tasks: [failedBackup],
    });
    const loops = [1, 2, 3].map((n) =>
      observe(T0 + n * 60_000, snapshot(T0 + n * 60_000), {
        containers: [{ host: 'docker@103', name: 'kuma', state: 'restarting', restartCount: n }],
        tasks: [failedBackup],
        canary: { ok: false, at: T0, detail: 'timeout' },
        dependencies: { ssh: { up: false, since: T0 }, docker: { up: true, since: T0 } },
      }),
    );
    expect(rules(run([first, ...loops]).findings)).toEqual([
      'backup-failed backup:101',
      'container-restart-loop container:docker@103/kuma',
      'dependency-down dependency:ssh',
      'llm-canary model:canary',
      'unit-failed unit:pve/pve-ha-lrm',
    ]);
  });

  it('a container read that fails keeps the restart history (aged by the window) instead of resetting the count', () => {
    const kuma = (n: number) => [{ host: 'docker@103', name: 'kuma', state: 'restarting', restartCount: n }];
    const at = (minute: number) => T0 + minute * 60_000;
    const rounds = [
      observe(at(0), snapshot(at(0)), { containers: kuma(0) }),
      observe(at(1), snapshot(at(1)), { containers: kuma(1) }),
      observe(at(2), snapshot(at(2)), { containers: kuma(2) }),
      // the host's list failed: nothing seen this round
      observe(at(3), snapshot(at(3)), { containers: [], containersUnread: { hosts: ['docker@103'], keys: [] } }),
      // listed but its inspect failed
      observe(at(4), snapshot(at(4)), { containers: [], containersUnread: { hosts: [], keys: ['docker@103/kuma'] } }),
    ];
    const held = run(rounds);
    expect(held.history.containers.get('docker@103/kuma')).toEqual({ count: 2, restarts: [at(1), at(2)], state: 'restarting' });
    // the third restart is counted against the two before the failed reads: a loop
    const third = run([...rounds, observe(at(5), snapshot(at(5)), { containers: kuma(3) })]);
    expect(rules(third.findings)).toContain('container-restart-loop container:docker@103/kuma');
    // a carried-over entry still ages out of the window
    const late = at(5) + DEFAULT_THRESHOLDS.restartLoopWindowMs;
    const aged = run([...rounds, observe(late, snapshot(late), { containers: [], containersUnread: { hosts: ['docker@103'], keys: [] } })]);
    expect(aged.history.containers.get('docker@103/kuma')?.restarts).toEqual([]);
    // a container gone from a host that WAS read is dropped
    const gone = run([...rounds, observe(at(5), snapshot(at(5)), { containers: [] })]);
    expect(gone.history.containers.has('docker@103/kuma')).toBe(false);
  });

  it('a stale snapshot (PVE poll failed) raises no node or crash findings from old data', () => {
    const stale = { ...observe(T0, snapshot(T0, { nodes: snapshot(T0).nodes.map((node) => ({ ...node, status: 'offline' as const })) })), fresh: false };
    expect(run([stale]).findings).toEqual([]);
  });
});
