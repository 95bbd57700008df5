/**
 * backup-overdue from the last successful backup per guest: vzdump tasks that ended OK and any
 * other source (storage content) feed one "last backup per guest" history; the rule judges its age.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, Guest } from '../domain/cluster.ts';
import { advance, emptyHistory, type MonitorHistory } from './history.ts';
import { evaluateRules } from './rules.ts';
import { DEFAULT_THRESHOLDS, type Finding, type LastBackupView, type Observation, type RuleThresholds, type TaskView } from './types.ts';

const SELF = { vmid: 103, node: 'agent1' };
const T0 = 1_800_000_000_000;
const H = 3_600_000;
const DAY = 24 * H;

function guest(vmid: number, extra: Partial<Guest> = {}): Guest {
  return { vmid, type: 'qemu', node: 'pve', name: `vm${vmid}`, status: 'running', template: false, tags: [], cpu: 0.1, mem: 1, maxmem: 10, ...extra };
}

function snapshot(at: number, guests: Guest[] = [guest(101), guest(102), guest(900, { template: true })]): ClusterSnapshot {
  return {
    version: 1,
    takenAt: at,
    quorum: { quorate: true, nodesTotal: 1, votesOnline: 1, votesTotal: 1, votesNeeded: 1 },
    nodes: [{ name: 'pve', status: 'online', votes: 1, cpu: 0.1, mem: 1, maxmem: 10 }],
    guests,
    storage: [],
  };
}

const vzdump = (vmid: number | undefined, endedAt: number | undefined, status = 'OK'): TaskView => ({
  id: `UPID:${vmid}:${endedAt}`,
  node: 'pve',
  type: 'vzdump',
  vmid,
  startedAt: (endedAt ?? T0) - 600_000,
  endedAt,
  status: endedAt === undefined ? 'running' : status,
  byJarvis: false,
});

function observe(at: number, extra: Partial<Observation> = {}): Observation {
  return { at, snapshot: snapshot(at), fresh: true, dependencies: {}, tasks: [], maintenance: false, ...extra };
}

function run(observations: Observation[], thresholds: RuleThresholds = DEFAULT_THRESHOLDS): { history: MonitorHistory; findings: Finding[] } {
  let history = emptyHistory();
  let findings: Finding[] = [];
  for (const observation of observations) {
    history = advance(history, observation, thresholds, SELF);
    findings = evaluateRules({ history, observation, thresholds, self: SELF });
  }
  return { history, findings };
}

const backupFindings = (findings: Finding[]) =>
  findings
    .filter((finding) => finding.rule.startsWith('backup-'))
    .map((finding) => `${finding.rule} ${finding.target}`)
    .sort();

describe('backup-overdue from the last successful backup per guest', () => {
  it('remembers a successful vzdump after PVE forgets the task, and fires once it is older than the limit (default 2 days)', () => {
    expect(DEFAULT_THRESHOLDS.backupMaxAgeMs).toBe(2 * DAY);
    const seen = observe(T0, { tasks: [vzdump(101, T0 - H)] });
    expect(backupFindings(run([seen, observe(T0 + DAY)]).findings)).toEqual([]);
    const { findings } = run([seen, observe(T0 + DAY), observe(T0 + 3 * DAY)]);
    expect(backupFindings(findings)).toEqual(['backup-overdue backup:101']);
    expect(findings.find((finding) => finding.rule === 'backup-overdue')!.facts).toMatchObject({
      vmid: 101,
      lastOkAt: T0 - H,
      source: 'vzdump-task',
      maxAgeHours: 48,
      node: 'pve',
    });
  });

  it('another source (storage content) feeds the same input: the newest success wins, from either source', () => {
    const fromStorage: LastBackupView = { vmid: 101, at: T0 + 2.5 * DAY, node: 'pve', source: 'storage:nas' };
    expect(backupFindings(run([observe(T0, { tasks: [vzdump(101, T0)] }), observe(T0 + 3 * DAY, { lastBackups: [fromStorage] })]).findings)).toEqual([]);
    // Storage alone (no task ever seen) is enough to judge a guest.
    const { findings } = run([observe(T0, { lastBackups: [{ ...fromStorage, at: T0 }] }), observe(T0 + 3 * DAY)]);
    expect(findings.find((finding) => finding.rule === 'backup-overdue')?.facts['source']).toBe('storage:nas');
    // An older report does not roll the last success back.
    expect(
      backupFindings(
        run([observe(T0 + 2.6 * DAY, { lastBackups: [fromStorage] }), observe(T0 + 3 * DAY, { lastBackups: [{ ...fromStorage, at: T0 - 10 * DAY }] })])
          .findings,
      ),
    ).toEqual([]);
  });

  it('is quiet while a backup of the guest runs, defers to backup-failed, and a newer success supersedes a failure', () => {
    const old = observe(T0, { tasks: [vzdump(101, T0)] });
    expect(backupFindings(run([old, observe(T0 + 3 * DAY, { tasks: [vzdump(101, undefined)] })]).findings)).toEqual([]);
    const failed = vzdump(101, T0 + 3 * DAY - H, 'ERROR: no space left');
    expect(backupFindings(run([old, observe(T0 + 3 * DAY, { tasks: [failed] })]).findings)).toEqual(['backup-failed backup:101']);
    expect(
      backupFindings(
        run([old, observe(T0 + 3 * DAY, { tasks: [failed], lastBackups: [{ vmid: 101, at: T0 + 3 * DAY - 1_000, source: 'storage:nas' }] })]).findings,
      ),
    ).toEqual([]);
  });

  it('does not judge guests never backed up, templates, removed guests, future timestamps, or anything when the limit is 0', () => {
    const tasks = [vzdump(900, T0), vzdump(101, T0)];
    const gone = { ...observe(T0 + 3 * DAY), snapshot: snapshot(T0 + 3 * DAY, [guest(102), guest(900, { template: true })]) };
    expect(backupFindings(run([observe(T0, { tasks }), gone]).findings)).toEqual([]);
    expect(run([observe(T0, { tasks }), gone]).history.lastBackupOk.has(101)).toBe(false);
    expect(
      backupFindings(run([observe(T0, { lastBackups: [{ vmid: 101, at: T0 + 10 * DAY, source: 'storage:x' }] }), observe(T0 + 3 * DAY)]).findings),
    ).toEqual([]);
    expect(run([observe(T0, { lastBackups: [{ vmid: 101, at: T0 + 10 * DAY, source: 'storage:x' }] })]).history.lastBackupOk.size).toBe(0);
    expect(backupFindings(run([observe(T0, { tasks }), observe(T0 + 30 * DAY)], { ...DEFAULT_THRESHOLDS, backupMaxAgeMs: 0 }).findings)).toEqual([]);
  });

  it('property: a guest is overdue exactly when its newest success from any source is older than the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ vmid: fc.constantFrom(101, 102), age: fc.integer({ min: 0, max: 10 * DAY }), viaTask: fc.boolean() }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 5 * DAY }),
        (reports, maxAge) => {
          const now = T0 + 10 * DAY;
          const tasks = reports.filter((report) => report.viaTask).map((report) => vzdump(report.vmid, now - report.age));
          const lastBackups = reports.filter((report) => !report.viaTask).map((report) => ({ vmid: report.vmid, at: now - report.age, source: 'storage:nas' }));
          const { findings } = run([observe(now, { tasks, lastBackups })], { ...DEFAULT_THRESHOLDS, backupMaxAgeMs: maxAge });
          for (const vmid of [101, 102]) {
            const ages = reports.filter((report) => report.vmid === vmid).map((report) => report.age);
            const expected = ages.length > 0 && Math.min(...ages) > maxAge;
            expect(findings.some((finding) => finding.rule === 'backup-overdue' && finding.target === `backup:${vmid}`)).toBe(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
