/**
 * Vocabulary of the monitor's deterministic rules: what they read (an observation), what they
 * say (findings) and the thresholds that tune them (from config `monitor`). Pure data.
 */
import type { ClusterSnapshot } from '../domain/cluster.ts';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

export const RULE_IDS = [
  'node-offline',
  'quorum-lost',
  'quorum-at-edge',
  'guest-crashed',
  'node-pressure',
  'guest-pressure',
  'storage-full',
  'unit-failed',
  'container-restart-loop',
  'backup-failed',
  'backup-overdue',
  'self-pressure',
  'llm-canary',
  'dependency-down',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** One thing a rule found, keyed by rule + target (the incident key). */
export interface Finding {
  readonly rule: RuleId;
  /** Target key: `node:pve`, `guest:102`, `storage:pve/local`, `unit:pve/pve-ha-lrm`, `container:docker@103/x`, `backup:102`, `dependency:ssh`, `cluster`. */
  readonly target: string;
  readonly severity: Severity;
  /** One line for humans (names come from cluster data: the UI escapes, models get it framed). */
  readonly title: string;
  readonly facts: Readonly<Record<string, string | number | boolean>>;
}

/** A PVE or Jarvis task as the monitor needs it (from the task facts on the event seam or PVE's task list). */
export interface TaskView {
  readonly id: string;
  readonly node: string;
  readonly type: string;
  readonly vmid?: number | undefined;
  readonly startedAt: number;
  readonly endedAt?: number | undefined;
  /** `running`, `OK` or PVE's exit status. */
  readonly status: string;
  readonly byJarvis: boolean;
}

export interface ContainerView {
  readonly host: string;
  readonly name: string;
  readonly state: string;
  readonly restartCount: number;
}

/**
 * The last successful backup of one guest, from whichever source saw it: a vzdump task that
 * ended OK (PVE's task list) or a backup archive in PVE storage content. Sources may overlap; the
 * newest wins.
 */
export interface LastBackupView {
  readonly vmid: number;
  /** When the backup finished (epoch ms). */
  readonly at: number;
  readonly node?: string | undefined;
  /** `vzdump-task`, `storage:nas`, ... (shown in the finding). */
  readonly source: string;
}

/** IO-wait (0..1) of a node at a time, from PVE rrddata. */
export interface IoWaitSample {
  readonly node: string;
  readonly time: number;
  readonly iowait: number;
}

/** Everything one evaluation reads. Fields the app could not read this round are undefined (rule skipped, state kept). */
export interface Observation {
  readonly at: number;
  /** Last successful snapshot (undefined before the first). */
  readonly snapshot: ClusterSnapshot | undefined;
  /** True when `snapshot` was read in this round (false: PVE poll failed, the snapshot is old). */
  readonly fresh: boolean;
  /** Dependency -> up/down since (epoch ms). */
  readonly dependencies: Readonly<Record<string, { readonly up: boolean; readonly since: number; readonly reason?: string | undefined }>>;
  readonly tasks: readonly TaskView[];
  /**
   * When the cluster's task list (`tasks`) was last read completely (epoch ms; undefined before
   * the first read). A guest stop seen before this is judged; one seen after waits for a newer read.
   */
  readonly tasksReadAt?: number | undefined;
  /** node -> failed unit names, when the slow cadence read them this round. */
  readonly failedUnits?: Readonly<Record<string, readonly string[]>> | undefined;
  readonly containers?: readonly ContainerView[] | undefined;
  /**
   * What the container read of this round could not see: Docker hosts whose list failed, and
   * `host/name` keys listed but not inspected. Their restart history is carried over (aged by the
   * window), not dropped: a read that fails must not reset a loop's count.
   */
  readonly containersUnread?: { readonly hosts: readonly string[]; readonly keys: readonly string[] } | undefined;
  readonly ioWait?: readonly IoWaitSample[] | undefined;
  /** Last successful backup per guest from a source other than the task list (e.g. storage content), when read this round. */
  readonly lastBackups?: readonly LastBackupView[] | undefined;
  readonly canary?: { readonly ok: boolean; readonly at: number; readonly detail?: string | undefined } | undefined;
  /** True while a configured maintenance window is open. */
  readonly maintenance: boolean;
}

/** Tunables of the rules (config `monitor.rules`). Durations in ms, fractions 0..1. */
export interface RuleThresholds {
  readonly cpu: number;
  readonly memory: number;
  readonly ioWait: number;
  /** How long pressure must last before it is a finding. */
  readonly pressureWindowMs: number;
  readonly storageWarn: number;
  readonly storageCritical: number;
  /** Time-to-full under which a storage is critical regardless of its fraction. */
  readonly storageTtfCriticalMs: number;
  /** Window of samples the time-to-full fit uses. */
  readonly storageTrendWindowMs: number;
  /** Restarts within `restartLoopWindowMs` that make a loop. */
  readonly restartLoopCount: number;
  readonly restartLoopWindowMs: number;
  /**
   * A guest whose last successful backup (newest seen from any source since the monitor started)
   * is older than this is overdue (0 = off). Guests never seen backed up are not judged.
   */
  readonly backupMaxAgeMs: number;
  /** A task that ended within this much before a guest stopped explains the stop. */
  readonly taskGraceMs: number;
  /**
   * A running backup explains CPU/IO-wait pressure (its node's, and its own guest's CPU) for at
   * most this long after it started; a backup running longer hides nothing.
   */
  readonly backupSuppressMaxMs: number;
  /** A dependency down for less than this is not (yet) a finding. */
  readonly dependencyGraceMs: number;
  /** Jarvis's own VM/node: lower pressure thresholds. */
  readonly selfCpu: number;
  readonly selfMemory: number;
}

export const DEFAULT_THRESHOLDS: RuleThresholds = {
  cpu: 0.9,
  memory: 0.92,
  ioWait: 0.25,
  pressureWindowMs: 5 * 60_000,
  storageWarn: 0.85,
  storageCritical: 0.95,
  storageTtfCriticalMs: 6 * 3_600_000,
  storageTrendWindowMs: 30 * 60_000,
  restartLoopCount: 3,
  restartLoopWindowMs: 10 * 60_000,
  backupMaxAgeMs: 2 * 86_400_000,
  taskGraceMs: 2 * 60_000,
  backupSuppressMaxMs: 6 * 3_600_000,
  dependencyGraceMs: 60_000,
  selfCpu: 0.85,
  selfMemory: 0.9,
};

/** Where Jarvis runs (topology.self). */
export interface SelfRef {
  readonly vmid: number;
  readonly node: string;
}
