/**
 * PVE's cluster log and the tail of a running task's log, read on demand for the dashboard (never on
 * a poll): GET /cluster/log at most every `ttlMs` (concurrent requests share one read), and
 * GET /nodes/{node}/tasks/{upid}/log (two small calls: the total, then the last lines) at most every
 * `tailTtlMs` per task. Text is cluster data: control characters are removed and each line is cut,
 * the dashboard renders it as text.
 */
import type { JarvisError, Result } from '../../core/errors.ts';
import type { ClusterApi, ClusterLogEntry, TaskRef } from '../../core/ports/cluster.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { ClusterLogDto, ClusterLogEntryDto, TaskLogTailDto } from '../../protocol/index.ts';

export interface ClusterLogReader {
  read(): Promise<Result<ClusterLogDto, JarvisError>>;
  taskTail(task: TaskRef): Promise<Result<TaskLogTailDto, JarvisError>>;
}

export interface ClusterLogReaderOptions {
  readonly cluster: Pick<ClusterApi, 'clusterLog' | 'taskLog'>;
  readonly clock: Clock;
  /** Entries asked of PVE (default 200). */
  readonly max?: number;
  readonly ttlMs?: number;
  readonly tailTtlMs?: number;
}

const MAX_TEXT = 500;
/** Control characters (C0 except tab, DEL, C1) and bidi overrides are removed from cluster text. */
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Cluster text made safe to show as one line. Pure. */
export function cleanLogText(text: string): string {
  return text.replace(CONTROL, ' ').slice(0, MAX_TEXT);
}

/** Syslog priority -> severity: 0-3 critical, 4 warning, else info. Pure. */
export function severityOfPriority(pri: number): ClusterLogEntryDto['severity'] {
  return pri <= 3 ? 'critical' : pri === 4 ? 'warning' : 'info';
}

function entryDto(entry: ClusterLogEntry): ClusterLogEntryDto {
  return {
    at: entry.time * 1000,
    node: cleanLogText(entry.node).slice(0, 64),
    severity: severityOfPriority(entry.pri),
    tag: cleanLogText(entry.tag).slice(0, 64),
    user: cleanLogText(entry.user).slice(0, 128),
    message: cleanLogText(entry.msg),
  };
}

export function createClusterLogReader(options: ClusterLogReaderOptions): ClusterLogReader {
  const { cluster, clock } = options;
  const ttlMs = options.ttlMs ?? 10_000;
  const tailTtlMs = options.tailTtlMs ?? 5_000;
  let cached: { at: number; value: Promise<Result<ClusterLogDto, JarvisError>> } | undefined;
  const tails = new Map<string, { at: number; value: Promise<Result<TaskLogTailDto, JarvisError>> }>();

  async function readNow(): Promise<Result<ClusterLogDto, JarvisError>> {
    const result = await cluster.clusterLog(options.max ?? 200, { timeoutMs: 10_000 });
    if (!result.ok) return result;
    return { ok: true, value: { entries: result.value.map(entryDto), readAt: clock.now() } };
  }

  async function tailNow(task: TaskRef): Promise<Result<TaskLogTailDto, JarvisError>> {
    const head = await cluster.taskLog(task, { start: 0, limit: 1, timeoutMs: 5_000 });
    if (!head.ok) return head;
    const total = head.value.total;
    const rest = total > 1 ? await cluster.taskLog(task, { start: Math.max(0, total - 3), limit: 3, timeoutMs: 5_000 }) : head;
    if (!rest.ok) return rest;
    const lines = rest.value.lines.map((line) => cleanLogText(line.t)).filter((line) => line.trim() !== '');
    return { ok: true, value: { upid: task.upid, total, lines: lines.slice(-3), readAt: clock.now() } };
  }

  return {
    read() {
      const now = clock.now();
      if (!cached || now - cached.at >= ttlMs) {
        const value = readNow();
        cached = { at: now, value };
        // a failed read is not kept: the next request tries again
        void value.then((result) => {
          if (!result.ok && cached?.value === value) cached = undefined;
        });
      }
      return cached.value;
    },
    taskTail(task) {
      const now = clock.now();
      for (const [upid, entry] of tails) if (now - entry.at >= tailTtlMs) tails.delete(upid);
      let entry = tails.get(task.upid);
      if (!entry) {
        entry = { at: now, value: tailNow(task) };
        tails.set(task.upid, entry);
      }
      return entry.value;
    },
  };
}
