/**
 * Per-node endpoints: status, version, rrddata (node, guest, storage).
 * @see reference pve-api.md §5.7, §5.8
 */
import { guestOn, missingConfig } from '../world/actions.ts';
import { fail, ok, paramError, type Reply } from './reply.ts';
import type { Route, RouteContext } from './router.ts';
import { TIMEFRAMES, rrdSamples } from './rrd.ts';
import { PVE_VERSION, nodeStatus } from './views.ts';

const sysAudit = (params: Readonly<Record<string, string>>) => ({ path: `/nodes/${params.node}`, privilege: 'Sys.Audit' });

function checkTimeframe(timeframe: string | undefined): Reply | undefined {
  if (timeframe === undefined) return paramError({ timeframe: 'property is missing and it is not optional' });
  if (!(timeframe in TIMEFRAMES))
    return paramError({ timeframe: `value '${timeframe}' does not have a value in the enumeration 'hour, day, week, month, year'` });
  return undefined;
}

function nodeRrd({ world, node, args }: RouteContext): Reply {
  const problem = checkTimeframe(args.timeframe);
  if (problem) return problem;
  if (!world.isNodeOnline(node.name)) return ok([]);
  const values = {
    loadavg: node.load[0],
    maxcpu: node.maxcpu,
    cpu: node.cpu,
    iowait: node.iowait,
    memtotal: node.memTotal,
    memused: node.memUsed,
    swaptotal: node.swapTotal,
    swapused: node.swapUsed,
    roottotal: node.rootTotal,
    rootused: node.rootUsed,
    netin: 60_000,
    netout: 40_000,
  };
  return ok(rrdSamples({ key: `node/${node.name}`, values }, args.timeframe!, world.nowSeconds()));
}

function guestRrd(type: 'qemu' | 'lxc') {
  return ({ world, node, params, args }: RouteContext): Reply => {
    const problem = checkTimeframe(args.timeframe);
    if (problem) return problem;
    const guest = guestOn(world, node.name, type, Number(params.vmid));
    if (!guest) return fail(500, missingConfig(node.name, type, params.vmid ?? ''));
    const running = guest.status === 'running';
    const values: Record<string, number> = { maxcpu: guest.cores, maxmem: guest.maxmem, maxdisk: guest.maxdisk };
    if (running)
      Object.assign(values, {
        cpu: guest.cpu,
        mem: guest.mem,
        disk: type === 'lxc' ? guest.disk : 0,
        netin: 20_000,
        netout: 10_000,
        diskread: 50_000,
        diskwrite: 40_000,
      });
    return ok(rrdSamples({ key: `${type}/${guest.vmid}`, values }, args.timeframe!, world.nowSeconds()));
  };
}

function storageRrd({ world, node, params, args }: RouteContext): Reply {
  const problem = checkTimeframe(args.timeframe);
  if (problem) return problem;
  const storage = world.storagesOf(node.name).find((entry) => entry.storage === params.storage);
  if (!storage) return paramError({ storage: 'No such storage.' });
  return ok(
    rrdSamples({ key: `storage/${node.name}/${storage.storage}`, values: { total: storage.total, used: storage.used } }, args.timeframe!, world.nowSeconds()),
  );
}

/** One NVMe disk per node backing local-lvm (§5.18), plus SMART health. */
function disksList({ node }: RouteContext): Reply {
  const serial = `S5GX${node.nodeid.toString().padStart(2, '0')}NF0R${node.name.length}7731`;
  return ok([
    {
      devpath: '/dev/nvme0n1',
      type: 'nvme',
      size: 1_000_204_886_016,
      model: node.diskModel,
      serial,
      vendor: 'unknown',
      rpm: 0,
      gpt: 1,
      mounted: 0,
      used: 'LVM',
      health: 'PASSED',
      wearout: 97,
      osdid: -1,
      'osdid-list': null,
      by_id_link: `/dev/disk/by-id/nvme-${node.diskModel.replace(/\s+/g, '_')}_${serial}`,
    },
  ]);
}

export const nodeRoutes: readonly Route[] = [
  { method: 'GET', pattern: '/nodes/{node}/disks/list', proxied: true, permission: sysAudit, handler: disksList },
  { method: 'GET', pattern: '/nodes/{node}/status', proxied: true, permission: sysAudit, handler: ({ world, node }) => ok(nodeStatus(world, node)) },
  { method: 'GET', pattern: '/nodes/{node}/version', proxied: true, handler: () => ok({ ...PVE_VERSION }) },
  { method: 'GET', pattern: '/nodes/{node}/rrddata', permission: sysAudit, handler: nodeRrd },
  { method: 'GET', pattern: '/nodes/{node}/qemu/{vmid}/rrddata', handler: guestRrd('qemu') },
  { method: 'GET', pattern: '/nodes/{node}/lxc/{vmid}/rrddata', handler: guestRrd('lxc') },
  { method: 'GET', pattern: '/nodes/{node}/storage/{storage}/rrddata', handler: storageRrd },
];
