import type { TaskStatus } from '../../../core/ports/cluster.ts';
import type { TaskStatusWire } from '../schemas/task.ts';

/** PVE: a task succeeded iff its exit status is `OK` or `WARNINGS: n` (pve-api.md §4.2). */
export function taskSucceeded(exitstatus: string | undefined): boolean {
  return exitstatus === 'OK' || (exitstatus?.startsWith('WARNINGS:') ?? false);
}

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/tasks/{upid}/status */
export function mapTaskStatus(wire: TaskStatusWire): TaskStatus {
  const stopped = wire.status === 'stopped';
  const exitstatus = stopped ? (wire.exitstatus ?? 'unexpected status') : undefined;
  return {
    upid: wire.upid,
    node: wire.node,
    type: wire.type,
    id: String(wire.id ?? ''),
    user: wire.user,
    starttime: wire.starttime,
    status: stopped ? 'stopped' : 'running',
    exitstatus,
    succeeded: stopped ? taskSucceeded(exitstatus) : undefined,
  };
}
