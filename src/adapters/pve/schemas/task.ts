import { z } from 'zod';
import { num, opt } from './lenient.ts';

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/tasks/{upid}/status */
export const taskStatusSchema = z.object({
  upid: z.string(),
  node: z.string(),
  type: z.string(),
  id: opt(z.union([z.string(), z.number()])),
  user: z.string(),
  starttime: num,
  status: z.string(),
  exitstatus: opt(z.string()),
});
export type TaskStatusWire = z.output<typeof taskStatusSchema>;

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/tasks */
export const clusterTaskSchema = z.object({
  upid: z.string(),
  node: z.string(),
  type: z.string(),
  id: opt(z.union([z.string(), z.number()])),
  user: z.string(),
  starttime: num,
  endtime: opt(num),
  status: opt(z.string()),
});
export type ClusterTaskWire = z.output<typeof clusterTaskSchema>;
export const clusterTasksSchema = z.array(clusterTaskSchema);

/** @see https://pve.proxmox.com/pve-docs/api-viewer/#/cluster/log */
export const clusterLogEntrySchema = z.object({
  time: num,
  node: z.string(),
  pri: num,
  tag: z.string(),
  user: opt(z.string()),
  msg: z.string(),
});
export type ClusterLogWire = z.output<typeof clusterLogEntrySchema>;
export const clusterLogSchema = z.array(clusterLogEntrySchema);

/** A POST that starts a task answers with the UPID string. */
export const upidSchema = z.string().startsWith('UPID:');
