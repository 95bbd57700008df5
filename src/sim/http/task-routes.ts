/**
 * Task endpoints of a node: list, status, log, stop.
 * @see reference pve-api.md §4.3–§4.6
 */
import type { TaskState } from '../world/types.ts';
import { taskEntry } from './cluster-routes.ts';
import { ok, paramError, type Reply } from './reply.ts';
import type { Route, RouteContext } from './router.ts';

const UPID = /^UPID:[a-zA-Z0-9-]+:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:[^:\s/]+:[^:\s/]*:[^:\s/]+:$/;

function findTask({ world, node, params }: RouteContext): TaskState | Reply {
  const upid = params.upid ?? '';
  if (!UPID.test(upid)) return paramError({ upid: 'unable to parse worker upid' });
  const task = world.tasks.get(upid);
  if (!task || task.node !== node.name) return paramError({ upid: 'no such task' });
  return task;
}

const isTask = (value: TaskState | Reply): value is TaskState => 'upid' in value;

/** Pages `[{n, t}]` like PVE: 1-based numbers, `limit` 0 = all, empty → one `no content` line. */
export function pageLines(lines: readonly string[], startArg: string | undefined, limitArg: string | undefined): Reply {
  const start = Math.max(0, Number(startArg ?? 0) || 0);
  const limit = limitArg === undefined ? 50 : Math.max(0, Number(limitArg) || 0);
  if (lines.length === 0) return ok([{ n: 1, t: 'no content' }], 1);
  const page = limit === 0 ? lines.slice(start) : lines.slice(start, start + limit);
  return ok(
    page.map((t, index) => ({ n: start + index + 1, t })),
    lines.length,
  );
}

export const taskRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/nodes/{node}/tasks',
    proxied: true,
    handler: ({ world, node, args }) => {
      let tasks = world.tasks.ofNode(node.name);
      if (args.vmid !== undefined) tasks = tasks.filter((task) => task.id === args.vmid);
      if (args.typefilter !== undefined) tasks = tasks.filter((task) => task.type === args.typefilter);
      if (args.userfilter !== undefined) tasks = tasks.filter((task) => task.user.toLowerCase().includes(args.userfilter!.toLowerCase()));
      if (args.errors === '1') tasks = tasks.filter((task) => task.exitstatus !== undefined && task.exitstatus !== 'OK');
      if (args.source === 'active') tasks = tasks.filter((task) => task.exitstatus === undefined);
      const start = Math.max(0, Number(args.start ?? 0) || 0);
      const limit = Math.max(0, Number(args.limit ?? 50) || 50);
      return ok(
        tasks.slice(start, start + limit).map((task) => taskEntry(task, false)),
        tasks.length,
      );
    },
  },
  {
    method: 'GET',
    pattern: '/nodes/{node}/tasks/{upid}/status',
    proxied: true,
    handler: (context) => {
      const task = findTask(context);
      if (!isTask(task)) return task;
      const { saved: _saved, endtime: _endtime, status: _status, ...entry } = taskEntry(task, false);
      return ok({
        ...entry,
        status: task.exitstatus === undefined ? 'running' : 'stopped',
        ...(task.exitstatus !== undefined ? { exitstatus: task.exitstatus } : {}),
      });
    },
  },
  {
    method: 'GET',
    pattern: '/nodes/{node}/tasks/{upid}/log',
    proxied: true,
    handler: (context) => {
      const task = findTask(context);
      return isTask(task) ? pageLines(task.log, context.args.start, context.args.limit) : task;
    },
  },
  {
    method: 'DELETE',
    pattern: '/nodes/{node}/tasks/{upid}',
    proxied: true,
    handler: (context) => {
      const task = findTask(context);
      if (!isTask(task)) return task;
      context.world.tasks.stop(task.upid, context.world.now(), (name) => context.world.node(name));
      return ok(null);
    },
  },
];
