/**
 * Worker tasks: UPIDs in PVE's exact format, running -> stopped after a simulated duration, logs
 * ending `TASK OK` / `TASK ERROR: ...`, and the `starting task` / `end task` lines in the node's
 * journal and the cluster log. Tasks finish lazily: `settle(now)` ends every task that is due.
 */
import { appendClusterLog, appendJournal } from './journal.ts';
import type { ClusterLogEntry, NodeState, TaskState } from './types.ts';

export const TASKS_PER_NODE_LIMIT = 500;

const hex8 = (value: number): string => (value >>> 0).toString(16).toUpperCase().padStart(8, '0');

export interface TaskRequest {
  readonly node: NodeState;
  readonly type: string;
  readonly id: string;
  /** Full user, e.g. `root@pam` or `jarvis@pve!monitor`. */
  readonly user: string;
  readonly durationMs: number;
  /** Error text the worker will end with; undefined = success. */
  readonly failure?: string | undefined;
  /** Lines the worker writes before its final line. */
  readonly logLines?: readonly string[];
  readonly onEnd?: (succeeded: boolean) => void;
}

/** Formats a UPID: `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:`. */
export function formatUpid(node: string, pid: number, pstart: number, starttime: number, type: string, id: string, user: string): string {
  return `UPID:${node}:${hex8(pid)}:${hex8(pstart)}:${hex8(starttime)}:${type}:${id}:${user}:`;
}

export class TaskEngine {
  private readonly byUpid = new Map<string, TaskState>();
  private readonly byNode = new Map<string, TaskState[]>();
  private readonly pending: TaskState[] = [];
  private sequence = 0;

  constructor(private readonly clusterLog: ClusterLogEntry[]) {}

  /** Creates a running task and logs its start; returns the UPID. */
  start(request: TaskRequest, nowMs: number): string {
    const { node } = request;
    const pid = node.nextPid++;
    const starttime = Math.floor(nowMs / 1000);
    const pstart = Math.max(0, Math.floor((nowMs / 1000 - node.bootTime) * 100));
    const upid = formatUpid(node.name, pid, pstart, starttime, request.type, request.id, request.user);
    const task: TaskState = {
      upid,
      sequence: this.sequence++,
      node: node.name,
      pid,
      pstart,
      starttime,
      type: request.type,
      id: request.id,
      user: request.user,
      endMs: nowMs + Math.max(0, request.durationMs),
      failure: request.failure,
      log: [...(request.logLines ?? [])],
      onEnd: request.onEnd,
    };
    this.byUpid.set(upid, task);
    const list = this.byNode.get(node.name) ?? [];
    list.push(task);
    if (list.length > TASKS_PER_NODE_LIMIT) for (const old of list.splice(0, list.length - TASKS_PER_NODE_LIMIT)) this.byUpid.delete(old.upid);
    this.byNode.set(node.name, list);
    this.pending.push(task);
    this.logLine(node, starttime, `<${request.user}> starting task ${upid}`, request.user, 6);
    return upid;
  }

  /** Ends every task whose time has come, in end-time order, applying its effect. */
  settle(nowMs: number, nodeOf: (name: string) => NodeState | undefined): void {
    if (this.pending.length === 0) return;
    const due = this.pending.filter((task) => task.endMs <= nowMs);
    if (due.length === 0) return;
    due.sort((a, b) => a.endMs - b.endMs || a.sequence - b.sequence);
    for (const task of due) {
      this.pending.splice(this.pending.indexOf(task), 1);
      const succeeded = task.failure === undefined;
      task.exitstatus = succeeded ? 'OK' : task.failure;
      task.log.push(succeeded ? 'TASK OK' : `TASK ERROR: ${task.failure}`);
      task.onEnd?.(succeeded);
      const node = nodeOf(task.node);
      if (node) this.logLine(node, Math.floor(task.endMs / 1000), `<${task.user}> end task ${task.upid} ${task.exitstatus}`, task.user, succeeded ? 6 : 3);
    }
  }

  /** Stops a running task (DELETE /tasks/{upid}): it ends `interrupted by signal`, no effect. */
  stop(upid: string, nowMs: number, nodeOf: (name: string) => NodeState | undefined): void {
    const task = this.byUpid.get(upid);
    if (!task || task.exitstatus !== undefined) return;
    this.pending.splice(this.pending.indexOf(task), 1);
    task.exitstatus = 'interrupted by signal';
    task.log.push('TASK ERROR: interrupted by signal');
    (task as { endMs: number }).endMs = nowMs;
    task.onEnd?.(false);
    const node = nodeOf(task.node);
    if (node) this.logLine(node, Math.floor(nowMs / 1000), `<${task.user}> end task ${task.upid} ${task.exitstatus}`, task.user, 3);
  }

  get(upid: string): TaskState | undefined {
    return this.byUpid.get(upid);
  }

  /** Tasks of one node, newest first. */
  ofNode(node: string): TaskState[] {
    return [...(this.byNode.get(node) ?? [])].reverse();
  }

  /** Recent tasks of all nodes, newest first (at most `limit`). */
  recent(limit: number): TaskState[] {
    const all: TaskState[] = [];
    for (const list of this.byNode.values()) all.push(...list.slice(-limit));
    return all.sort((a, b) => b.starttime - a.starttime || b.pid - a.pid).slice(0, limit);
  }

  private logLine(node: NodeState, time: number, message: string, user: string, priority: number): void {
    const pid = node.services.find((service) => service.unit === 'pvedaemon')?.mainPid ?? 1;
    appendJournal(node, { time, unit: 'pvedaemon', identifier: 'pvedaemon', pid, priority, message });
    appendClusterLog(this.clusterLog, { uid: node.nextUid++, time, pri: priority, tag: 'pvedaemon', pid, node: node.name, user, msg: message });
  }
}
