/**
 * Cluster-wide endpoints, answered locally (never proxied): /version, /cluster/*, /nodes.
 * @see reference pve-api.md §5.1–§5.6, §4.7
 */
import { syslogTime } from '../world/journal.ts';
import type { SimWorld } from '../world/sim-world.ts';
import type { TaskState } from '../world/types.ts';
import { ok, paramError } from './reply.ts';
import type { Route } from './router.ts';
import { PVE_VERSION, guestEntry, nodeEntry, storageEntry } from './views.ts';

const audit = { path: '/', privilege: 'Sys.Audit' };

/** Task list entry (§4.3/§4.7): token tasks split into `user` + `tokenid`. */
export function taskEntry(task: TaskState, cluster: boolean): Record<string, unknown> {
  const [user, tokenid] = task.user.split('!');
  const entry: Record<string, unknown> = {
    upid: task.upid,
    node: task.node,
    pid: task.pid,
    pstart: task.pstart,
    starttime: task.starttime,
    type: task.type,
    id: task.id,
    user,
    ...(tokenid ? { tokenid } : {}),
  };
  if (cluster) entry.saved = task.exitstatus !== undefined ? '1' : '0';
  if (task.exitstatus !== undefined) {
    entry.endtime = Math.floor(task.endMs / 1000);
    entry.status = task.exitstatus;
  }
  return entry;
}

function resources(world: SimWorld, type: string | undefined): unknown[] {
  const out: unknown[] = [];
  if (type === undefined || type === 'vm') for (const guest of world.guests()) out.push(guestEntry(world, guest));
  if (type === undefined || type === 'node') for (const node of world.nodes()) out.push(nodeEntry(world, node));
  if (type === undefined || type === 'storage') {
    for (const node of world.nodes()) for (const storage of world.storagesOf(node.name)) out.push(storageEntry(world, storage, node.name));
  }
  return out;
}

function haStatus(world: SimWorld): unknown[] {
  const local = world.nodes()[0]?.name ?? 'localhost';
  const now = world.nowSeconds();
  const out: unknown[] = [
    { id: 'quorum', type: 'quorum', node: local, quorate: world.quorate() ? 1 : 0, status: world.quorate() ? 'OK' : `No quorum on node '${local}'!` },
    { id: 'master', type: 'master', node: local, timestamp: now, status: `${local} (idle, ${syslogTime(now)})` },
  ];
  for (const node of world.nodes()) {
    const online = world.isNodeOnline(node.name);
    const stamp = online ? now : (world.offlineSince(node.name) ?? now);
    out.push({
      id: `lrm:${node.name}`,
      type: 'lrm',
      node: node.name,
      timestamp: stamp,
      status: `${node.name} (${online ? 'idle' : 'old timestamp - dead?'}, ${syslogTime(stamp)})`,
    });
  }
  return out;
}

export const clusterRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/version', handler: () => ok({ ...PVE_VERSION }) },
  {
    method: 'GET',
    pattern: '/cluster/status',
    permission: () => audit,
    handler: ({ world }) => {
      const first = world.nodes()[0]?.name;
      return ok([
        {
          type: 'cluster',
          id: 'cluster',
          name: world.clusterName,
          nodes: world.nodes().length,
          version: world.nodes().length + 2,
          quorate: world.quorate() ? 1 : 0,
        },
        ...world.nodes().map((node) => ({
          type: 'node',
          id: `node/${node.name}`,
          name: node.name,
          nodeid: node.nodeid,
          ip: node.ip,
          local: node.name === first ? 1 : 0,
          online: world.isNodeOnline(node.name) ? 1 : 0,
          level: '',
        })),
      ]);
    },
  },
  {
    method: 'GET',
    pattern: '/cluster/resources',
    handler: ({ world, args }) => {
      const type = args.type;
      if (type !== undefined && !['vm', 'storage', 'node', 'sdn'].includes(type)) {
        return paramError({ type: `value '${type}' does not have a value in the enumeration 'vm, storage, node, sdn'` });
      }
      return ok(type === 'sdn' ? [] : resources(world, type));
    },
  },
  { method: 'GET', pattern: '/cluster/tasks', handler: ({ world }) => ok(world.tasks.recent(200).map((task) => taskEntry(task, true))) },
  {
    method: 'GET',
    pattern: '/cluster/log',
    handler: ({ world, args }) => {
      const max = Math.max(1, Number(args.max ?? 50) || 50);
      const entries = world.clusterLog.slice(-max).reverse();
      return ok(entries.map((entry) => ({ id: `${entry.uid}:${entry.node}`, ...entry })));
    },
  },
  { method: 'GET', pattern: '/cluster/ha/status/current', permission: () => audit, handler: ({ world }) => ok(haStatus(world)) },
  { method: 'GET', pattern: '/cluster/ha/resources', handler: () => ok([]) },
  {
    method: 'GET',
    pattern: '/nodes',
    handler: ({ world, fingerprint }) => ok(world.nodes().map((node) => ({ ...nodeEntry(world, node), ssl_fingerprint: fingerprint }))),
  },
];
