/**
 * Write operations with PVE's exact split between synchronous refusals (HTTP 4xx/500, no task)
 * and failures inside the worker task (200 + UPID, task ends `TASK ERROR: ...`).
 * @see reference pve-api.md §5.11, §6.1, §6.2
 */
import type { SimWorld } from './sim-world.ts';
import type { GuestState, NodeState } from './types.ts';

export type ActionResult =
  | { readonly ok: true; readonly upid: string }
  | { readonly ok: false; readonly status: number; readonly message: string; readonly errors?: Record<string, string> };

export type PowerAction = 'start' | 'stop' | 'shutdown' | 'reboot';

export const NO_QUORUM = 'cluster not ready - no quorum?';
const refuse = (status: number, message: string, errors?: Record<string, string>): ActionResult => ({
  ok: false,
  status,
  message,
  ...(errors ? { errors } : {}),
});

/** Config-file error for a VMID that is not on `node`. */
export function missingConfig(node: string, type: 'qemu' | 'lxc', vmid: number | string): string {
  return `Configuration file 'nodes/${node}/${type === 'qemu' ? 'qemu-server' : 'lxc'}/${vmid}.conf' does not exist`;
}

/** The guest with that VMID and type on that node, or undefined. */
export function guestOn(world: SimWorld, node: string, type: 'qemu' | 'lxc', vmid: number): GuestState | undefined {
  const guest = world.guest(vmid);
  return guest && guest.node === node && guest.type === type ? guest : undefined;
}

const TASK_TYPES: Record<'qemu' | 'lxc', Record<PowerAction, string>> = {
  qemu: { start: 'qmstart', stop: 'qmstop', shutdown: 'qmshutdown', reboot: 'qmreboot' },
  lxc: { start: 'vzstart', stop: 'vzstop', shutdown: 'vzshutdown', reboot: 'vzreboot' },
};

const DURATION_FACTOR: Record<PowerAction, number> = { start: 1, stop: 0.5, shutdown: 1.5, reboot: 2 };

/**
 * POST /nodes/{node}/{qemu|lxc}/{vmid}/status/{action}. `skipLock` is PVE's `skiplock=1` (the route
 * allows it for root@pam only): the config lock no longer blocks the action.
 */
export function powerAction(
  world: SimWorld,
  node: NodeState,
  type: 'qemu' | 'lxc',
  vmid: number,
  action: PowerAction,
  user: string,
  skipLock = false,
): ActionResult {
  const guest = guestOn(world, node.name, type, vmid);
  if (!guest) return refuse(500, missingConfig(node.name, type, vmid));
  const label = type === 'qemu' ? 'VM' : 'CT';
  const running = guest.status === 'running';
  if (action === 'start' && !world.quorate()) return refuse(500, NO_QUORUM);
  if (type === 'lxc' && action === 'start' && running) return refuse(500, `CT ${vmid} already running`);
  if (type === 'lxc' && action !== 'start' && !running) return refuse(500, `CT ${vmid} not running`);
  if (action === 'reboot' && !running) return refuse(500, `${label} ${vmid} not running`);
  if ((action === 'reboot' || action === 'shutdown') && guest.paused) return refuse(500, 'VM is paused - cannot shutdown');

  let failure: string | undefined;
  if (action === 'start') {
    if (guest.template) failure = "you can't start a vm if it's a template";
    else if (running) failure = `VM ${vmid} already running`;
    else if (guest.lock && !skipLock) failure = `${label} is locked (${guest.lock})`;
  } else if (running && guest.lock && !skipLock) {
    failure = `${label} is locked (${guest.lock})`;
  }
  const base = world.options.taskDurationMs;
  const durationMs = failure !== undefined ? Math.max(1, Math.round(base * 0.2)) : Math.round(base * DURATION_FACTOR[action]);
  const logLines = action === 'start' && failure === undefined && type === 'qemu' ? [`start VM ${vmid}: booting`] : [];
  return {
    ok: true,
    upid: world.tasks.start(
      {
        node,
        type: TASK_TYPES[type][action],
        id: String(vmid),
        user,
        durationMs,
        failure,
        logLines,
        onEnd: (succeeded) => {
          if (!succeeded) return;
          if (action === 'start') world.setGuestRunning(guest, true);
          if ((action === 'stop' || action === 'shutdown') && guest.status === 'running') world.setGuestRunning(guest, false);
          if (action === 'reboot') world.setGuestRunning(guest, true);
          const scope = type === 'qemu' ? `${vmid}.scope` : `pve-container@${vmid}`;
          const message = guest.status === 'running' ? `Started ${scope}.` : `${scope}: Deactivated successfully.`;
          if (action !== 'stop' || running) world.addJournal(guest.node, scope, 'systemd', 6, message, 1);
        },
      },
      world.now(),
    ),
  };
}

/** POST /nodes/{node}/qemu/{vmid}/migrate. */
export function migrate(world: SimWorld, node: NodeState, vmid: number, target: string | undefined, online: boolean, user: string): ActionResult {
  if (!target) return refuse(400, 'Parameter verification failed.', { target: 'property is missing and it is not optional' });
  if (target === node.name) return refuse(400, 'Parameter verification failed.', { target: 'target is local node.' });
  if (!world.quorate()) return refuse(500, NO_QUORUM);
  if (!world.node(target)) return refuse(500, `no such cluster node '${target}'`);
  const guest = guestOn(world, node.name, 'qemu', vmid);
  if (!guest) return refuse(500, missingConfig(node.name, 'qemu', vmid));
  if (guest.lock) return refuse(500, `VM is locked (${guest.lock})`);
  if (guest.status === 'running' && !online) return refuse(500, "can't migrate running VM without --online");
  const targetOnline = world.isNodeOnline(target);
  const failure = targetOnline ? undefined : `migration aborted (duration 00:00:03): Can't connect to destination address using public key`;
  guest.lock = 'migrate';
  const started = world.now();
  return {
    ok: true,
    upid: world.tasks.start(
      {
        node,
        type: 'qmigrate',
        id: String(vmid),
        user,
        durationMs: world.options.taskDurationMs * 3,
        failure,
        logLines: [`starting migration of VM ${vmid} to node '${target}' (${world.node(target)?.ip})`],
        onEnd: (succeeded) => {
          guest.lock = undefined;
          if (!succeeded) return;
          guest.node = target;
        },
      },
      started,
    ),
  };
}

const ESSENTIAL = new Set(['pveproxy', 'pvedaemon', 'pve-cluster']);

/** POST /nodes/{node}/services/{service}/{start|stop|restart|reload}. */
export function serviceAction(world: SimWorld, node: NodeState, service: string, action: 'start' | 'stop' | 'restart' | 'reload', user: string): ActionResult {
  const unit = node.services.find((entry) => entry.unit === service && entry.pve);
  if (!unit) return refuse(400, 'Parameter verification failed.', { service: `value '${service}' does not have a value in the enumeration` });
  const failure = action === 'stop' && ESSENTIAL.has(service) ? `invalid service cmd '${service} stop': refusing to stop essential service!` : undefined;
  return {
    ok: true,
    upid: world.tasks.start(
      {
        node,
        type: `srv${action}`,
        id: service,
        user,
        durationMs: Math.max(1, Math.round(world.options.taskDurationMs * 0.3)),
        failure,
        onEnd: (succeeded) => {
          if (!succeeded) return;
          if (action === 'stop') world.setService(node.name, service, 'inactive', 'dead');
          else world.setService(node.name, service, 'active', 'running');
          world.addJournal(
            node.name,
            service,
            'systemd',
            6,
            action === 'stop' ? `Stopped ${service}.service - ${unit.description}.` : `Started ${service}.service - ${unit.description}.`,
            1,
          );
        },
      },
      world.now(),
    ),
  };
}

/** PUT/POST /nodes/{node}/qemu/{vmid}/config with a few supported keys. */
export function updateConfig(world: SimWorld, node: NodeState, type: 'qemu' | 'lxc', vmid: number, params: Record<string, string>): ActionResult | undefined {
  const guest = guestOn(world, node.name, type, vmid);
  if (!guest) return refuse(500, missingConfig(node.name, type, vmid));
  if (!world.quorate()) return refuse(500, NO_QUORUM);
  const allowed = new Set(['name', 'hostname', 'description', 'tags', 'digest', 'onboot', 'protection']);
  const unknown = Object.keys(params).filter((key) => !allowed.has(key));
  if (unknown.length > 0)
    return refuse(
      400,
      'Parameter verification failed.',
      Object.fromEntries(unknown.map((key) => [key, 'property is not defined in schema and the schema does not allow additional properties'])),
    );
  if (params.name !== undefined) guest.name = params.name;
  if (params.hostname !== undefined) guest.name = params.hostname;
  if (params.description !== undefined) guest.description = params.description;
  if (params.tags !== undefined) guest.tags = params.tags || undefined;
  return undefined;
}
