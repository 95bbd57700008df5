import type { SimHostView } from '../../host-view.ts';
import type { SimCommand } from '../sim-command.ts';
import { stderr, stdout } from '../sim-command.ts';
import { SIM_PVE_VERSION } from './system-info.ts';

/**
 * `pvesh get <path> --output-format json`: through the `pveshGet` hook when given (the simulated
 * PVE API answers), else a small built-in set derived from the host view.
 */
export const pveshCommands: readonly SimCommand[] = [
  {
    pattern: ['pvesh', 'get', '{path}', '--output-format', 'json'],
    answer(view, node, { path }, hooks) {
      if (hooks.pveshGet) return hooks.pveshGet(node, path!);
      const body = answerPath(view, path!);
      if (body === undefined) return stderr(`No 'get' handler defined for '${path}'\n`, 2);
      if (typeof body === 'string') return stderr(`${body}\n`, 2);
      return stdout(`${JSON.stringify(body.value)}\n`);
    },
  },
];

/** undefined = no such path; string = error text; otherwise the JSON value. */
function answerPath(view: SimHostView, path: string): { value: unknown } | string | undefined {
  if (path === '/version') return { value: { version: '8.3.0', release: '8.3', repoid: 'c1689ccb' } };
  if (path === '/cluster/status') return { value: clusterStatus(view) };
  const match = /^\/nodes\/([a-zA-Z0-9-]+)\/(status|disks\/list)$/.exec(path);
  if (!match) return undefined;
  const target = match[1]!;
  if (!view.nodeNames().includes(target)) return `hostname lookup '${target}' failed - failed to get address info for: ${target}: Name or service not known`;
  if (!view.isNodeReachable(target)) return `proxy handler failed: No route to host (node '${target}' unreachable)`;
  return { value: match[2] === 'status' ? nodeStatus(view, target) : diskList(view, target) };
}

function clusterStatus(view: SimHostView): unknown[] {
  const nodes = view.nodeNames();
  const online = nodes.filter((node) => view.isNodeReachable(node)).length;
  return [
    { type: 'cluster', id: 'cluster', name: 'homelab', nodes: nodes.length, quorate: online * 2 > nodes.length ? 1 : 0, version: nodes.length + 2 },
    ...nodes.map((node, index) => ({
      type: 'node',
      id: `node/${node}`,
      name: node,
      nodeid: index + 1,
      online: view.isNodeReachable(node) ? 1 : 0,
      local: 0,
      ip: firstAddress(view, node),
      level: '',
    })),
  ];
}

function nodeStatus(view: SimHostView, node: string): unknown {
  const memory = view.memory(node);
  const root = view.disks(node).find((disk) => disk.mount === '/');
  const rootTotal = root?.sizeBytes ?? 0;
  const rootUsed = root?.usedBytes ?? 0;
  return {
    uptime: view.uptimeSeconds(node),
    loadavg: view.loadAverage(node).map((value) => value.toFixed(2)),
    cpu: Math.min(1, view.loadAverage(node)[0] / 8),
    wait: 0,
    memory: { total: memory.total, used: memory.used, free: memory.free, available: memory.available },
    swap: { total: memory.swapTotal, used: memory.swapUsed, free: memory.swapTotal - memory.swapUsed },
    rootfs: { total: rootTotal, used: rootUsed, free: rootTotal - rootUsed, avail: rootTotal - rootUsed },
    cpuinfo: { cpus: 8, sockets: 1, cores: 8, model: 'Intel(R) Core(TM) i7-8700T CPU @ 2.40GHz' },
    kversion: 'Linux 6.8.12-4-pve #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z) x86_64',
    pveversion: SIM_PVE_VERSION.split(' ')[0],
  };
}

function diskList(view: SimHostView, node: string): unknown[] {
  const size = view.disks(node).reduce((sum, disk) => sum + disk.sizeBytes, 0);
  return [
    {
      devpath: '/dev/nvme0n1',
      size,
      model: 'Samsung SSD 980 1TB',
      serial: `S64ANS0T${node.length}0000`,
      type: 'nvme',
      health: 'PASSED',
      used: 'LVM',
      gpt: 1,
      wearout: 97,
    },
  ];
}

function firstAddress(view: SimHostView, node: string): string {
  for (const iface of view.interfaces(node)) {
    if (iface.name === 'lo') continue;
    const address = iface.addresses.find((cidr) => cidr.includes('.'));
    if (address) return address.split('/')[0]!;
  }
  return '127.0.0.1';
}
