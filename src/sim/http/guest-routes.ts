/**
 * QEMU and LXC endpoints: lists, status/current, config (read + small writes), snapshot list, power actions,
 * qemu migrate. Sync vs in-task failures live in world/actions.ts.
 * @see reference pve-api.md §5.9–§5.13, §6.1
 */
import { guestOn, migrate, missingConfig, powerAction, updateConfig, type ActionResult, type PowerAction } from '../world/actions.ts';
import { qemuStateAction } from '../world/qemu-state-actions.ts';
import { fail, ok, paramError, type Reply } from './reply.ts';
import type { Route, RouteContext } from './router.ts';
import { guestConfig, guestListEntry, guestSnapshots, guestStatus } from './views.ts';

type Kind = 'qemu' | 'lxc';
const VMID = /^[1-9][0-9]{2,8}$/;
const vmAcl = (privilege: string) => (params: Readonly<Record<string, string>>) => ({ path: `/vms/${params.vmid}`, privilege });

function badVmid(vmid: string | undefined): Reply | undefined {
  return VMID.test(vmid ?? '') ? undefined : paramError({ vmid: 'invalid format - value does not look like a valid VM ID' });
}

function fromAction(result: ActionResult): Reply {
  return result.ok ? ok(result.upid) : fail(result.status, result.message, result.errors);
}

function readGuest(type: Kind, view: 'status' | 'config' | 'snapshot') {
  return ({ world, node, params }: RouteContext): Reply => {
    const problem = badVmid(params.vmid);
    if (problem) return problem;
    const guest = guestOn(world, node.name, type, Number(params.vmid));
    if (!guest) return fail(500, missingConfig(node.name, type, params.vmid!));
    if (view === 'snapshot') return ok(guestSnapshots(guest));
    return ok(view === 'status' ? guestStatus(world, guest) : guestConfig(guest));
  };
}

function writeConfig(type: Kind) {
  return ({ world, node, params, args }: RouteContext): Reply => {
    const problem = badVmid(params.vmid);
    if (problem) return problem;
    const result = updateConfig(world, node, type, Number(params.vmid), { ...args });
    return result ? fromAction(result) : ok(null);
  };
}

function power(type: Kind, action: PowerAction) {
  return ({ world, node, params, args, identity }: RouteContext): Reply => {
    const problem = badVmid(params.vmid);
    if (problem) return problem;
    // PVE: start/stop/shutdown take `skiplock`, and only root@pam (not even its tokens) may use it.
    const skipLock = action !== 'reboot' && (args.skiplock === '1' || args.skiplock === 'true');
    if (skipLock && identity.full !== 'root@pam') return paramError({ skiplock: 'Only root may use this option.' });
    return fromAction(powerAction(world, node, type, Number(params.vmid), action, identity.full, skipLock));
  };
}

function guestRoutes(type: Kind): Route[] {
  const base = `/nodes/{node}/${type}`;
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: base,
      proxied: true,
      handler: ({ world, node, args }) =>
        ok(
          world
            .guests()
            .filter((g) => g.node === node.name && g.type === type)
            .map((g) => ({ ...guestListEntry(world, g), ...(type === 'qemu' && args.full === '1' ? { qmpstatus: g.paused ? 'paused' : g.status } : {}) })),
        ),
    },
    { method: 'GET', pattern: `${base}/{vmid}/status/current`, proxied: true, permission: vmAcl('VM.Audit'), handler: readGuest(type, 'status') },
    { method: 'GET', pattern: `${base}/{vmid}/config`, proxied: true, permission: vmAcl('VM.Audit'), handler: readGuest(type, 'config') },
    { method: 'GET', pattern: `${base}/{vmid}/snapshot`, proxied: true, permission: vmAcl('VM.Audit'), handler: readGuest(type, 'snapshot') },
    { method: 'PUT', pattern: `${base}/{vmid}/config`, proxied: true, permission: vmAcl('VM.Config.Options'), handler: writeConfig(type) },
  ];
  if (type === 'qemu')
    routes.push({ method: 'POST', pattern: `${base}/{vmid}/config`, proxied: true, permission: vmAcl('VM.Config.Options'), handler: writeConfig(type) });
  for (const action of ['start', 'stop', 'shutdown', 'reboot'] as const) {
    routes.push({ method: 'POST', pattern: `${base}/{vmid}/status/${action}`, proxied: true, permission: vmAcl('VM.PowerMgmt'), handler: power(type, action) });
  }
  return routes;
}

export const qemuRoutes: readonly Route[] = [
  ...guestRoutes('qemu'),
  ...(['suspend', 'resume', 'reset'] as const).map((action): Route => ({
    method: 'POST',
    pattern: `/nodes/{node}/qemu/{vmid}/status/${action}`,
    proxied: true,
    permission: vmAcl('VM.PowerMgmt'),
    handler: ({ world, node, params, identity }) =>
      badVmid(params.vmid) ?? fromAction(qemuStateAction(world, node, Number(params.vmid), action, identity.full)),
  })),
  {
    method: 'POST',
    pattern: '/nodes/{node}/qemu/{vmid}/migrate',
    proxied: true,
    permission: vmAcl('VM.Migrate'),
    handler: ({ world, node, params, args, identity }) => {
      const problem = badVmid(params.vmid);
      if (problem) return problem;
      const online = args.online === '1' || args.online === 'true';
      return fromAction(migrate(world, node, Number(params.vmid), args.target, online, identity.full));
    },
  },
];

export const lxcRoutes: readonly Route[] = guestRoutes('lxc');
