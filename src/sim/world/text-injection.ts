/**
 * Arbitrary text into the world (guest names, descriptions, tags, log lines) for the injection
 * tests: text is stored verbatim, hostile content included; only the HTTP status line is
 * sanitised (by the reply writer), never the JSON body.
 */
import { z } from 'zod';
import { appendContainerLog } from './docker-ops.ts';
import { appendClusterLog } from './journal.ts';
import type { SimWorld } from './sim-world.ts';

export const guestTextSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  tags: z.string().optional(),
  lock: z.string().nullable().optional(),
});
export type GuestText = z.infer<typeof guestTextSchema>;

export const logInjectionSchema = z.object({
  message: z.string(),
  /** journal (default when `node` is given), task, container or cluster. */
  target: z.enum(['journal', 'task', 'container', 'cluster']).optional(),
  node: z.string().optional(),
  unit: z.string().optional(),
  identifier: z.string().optional(),
  priority: z.number().int().min(0).max(7).optional(),
  upid: z.string().optional(),
  host: z.string().optional(),
  container: z.string().optional(),
});
export type LogInjection = z.infer<typeof logInjectionSchema>;

/** Sets guest text fields; returns an error message or undefined. */
export function setGuestText(world: SimWorld, vmid: number, text: GuestText): string | undefined {
  const guest = world.guest(vmid);
  if (!guest) return `no such guest ${vmid}`;
  if (text.name !== undefined) guest.name = text.name;
  if (text.description !== undefined) guest.description = text.description;
  if (text.tags !== undefined) guest.tags = text.tags || undefined;
  if (text.lock !== undefined) guest.lock = text.lock ?? undefined;
  return undefined;
}

function targetOf(injection: LogInjection): NonNullable<LogInjection['target']> {
  if (injection.target) return injection.target;
  if (injection.upid) return 'task';
  if (injection.container) return 'container';
  return injection.node ? 'journal' : 'cluster';
}

/** Appends a log line where asked; returns an error message or undefined. */
export function injectLog(world: SimWorld, injection: LogInjection): string | undefined {
  const target = targetOf(injection);
  if (target === 'task') {
    const task = injection.upid ? world.tasks.get(injection.upid) : undefined;
    if (!task) return `no such task '${injection.upid}'`;
    // Keep the TASK OK / TASK ERROR line last.
    if (task.exitstatus !== undefined) task.log.splice(task.log.length - 1, 0, injection.message);
    else task.log.push(injection.message);
    return undefined;
  }
  if (target === 'container') {
    const host = world.dockerHost(injection.host ?? 'docker@103');
    const container = host?.containers.find((entry) => entry.name === injection.container || entry.id === injection.container);
    if (!container) return `no such container '${injection.container}'`;
    appendContainerLog(container, injection.message);
    return undefined;
  }
  const nodeName = injection.node ?? world.nodes()[0]?.name ?? '';
  const node = world.node(nodeName);
  if (!node) return `no such node '${nodeName}'`;
  const unit = injection.unit ?? 'pvedaemon';
  if (target === 'cluster') {
    appendClusterLog(world.clusterLog, {
      uid: node.nextUid++,
      time: world.nowSeconds(),
      pri: injection.priority ?? 6,
      tag: injection.identifier ?? unit,
      pid: 1,
      node: node.name,
      user: 'root@pam',
      msg: injection.message,
    });
    return undefined;
  }
  world.addJournal(
    node.name,
    unit,
    injection.identifier ?? unit,
    injection.priority ?? 6,
    injection.message,
    node.services.find((s) => s.unit === unit)?.mainPid,
  );
  return undefined;
}
