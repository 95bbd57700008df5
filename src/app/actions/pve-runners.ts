/**
 * ActionRunners over the PVE ports: guest power (GuestActuator) and node service start/stop/
 * restart (ServiceActuator). Each starts the PVE task and waits for it to end; a failed task is
 * TASK_FAILED, an unfinished one TASK_TIMEOUT. Only the guarded executor calls these.
 */
import { guestName } from '../../core/domain/guest-name.ts';
import type { Action } from '../../core/domain/action.ts';
import type { Guest } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { GuestActuator, GuestPowerAction, ServiceActuator, TaskRef } from '../../core/ports/cluster.ts';
import type { ResolvedTarget } from '../../core/safety/resolve-target.ts';
import type { ActionOutcome, ActionRunner } from './action-runner.ts';
import { decidedNode, type LiveIdentity } from './live-identity.ts';

async function awaitTask(
  actuator: GuestActuator,
  task: Result<TaskRef, JarvisError>,
  label: string,
  signal: AbortSignal,
  deadlineMs: number,
): Promise<Result<ActionOutcome, JarvisError>> {
  if (!task.ok) return task;
  const status = await actuator.waitForTask(task.value, { signal, deadlineMs });
  if (!status.ok) return status;
  if (status.value.succeeded === false) {
    return err(jarvisError('TASK_FAILED', `${label} failed: ${status.value.exitstatus ?? 'unknown exit status'}`, { details: { upid: status.value.upid } }));
  }
  return ok({ summary: `${label}: task ${status.value.exitstatus ?? 'OK'}`, task: status.value });
}

/** The live identity of one guest on one node (PVE `/nodes/{node}/{type}/{vmid}/status/current`). */
export type LiveGuest = (
  node: string,
  type: Guest['type'],
  vmid: number,
  signal: AbortSignal,
) => Promise<{ name?: string | undefined; status: string } | undefined>;

/**
 * guest.start/stop/shutdown/reboot through PVE, on exactly the guest the kernel resolved (node,
 * VMID, type). Its live identity is read from that node (`liveGuest`, one call) or, without it,
 * looked up with `findGuest`; a guest that moved, vanished or was renamed since the decision is
 * refused (DENIED), never re-resolved.
 */
export function guestPowerRunner(
  actuator: GuestActuator,
  findGuest: (vmid: number) => Promise<Guest | undefined>,
  options: { deadlineMs?: number; liveGuest?: LiveGuest } = {},
): ActionRunner {
  return {
    async doRun(action: Action, signal: AbortSignal, resolved?: ResolvedTarget) {
      if (action.target.type !== 'guest') return err(jarvisError('INVALID_INPUT', `${action.kind} needs a guest target`));
      const power = action.kind.split('.')[1] as GuestPowerAction;
      if (!['start', 'stop', 'shutdown', 'reboot'].includes(power)) return err(jarvisError('INVALID_INPUT', `${action.kind} is not a guest power action`));
      const decided = resolved?.guest;
      let guest: { vmid: number; node: string; type: Guest['type']; name?: string | undefined; status: string } | undefined;
      if (decided) {
        const live = options.liveGuest
          ? await options.liveGuest(decided.node, decided.type, decided.vmid, signal)
          : await findGuest(decided.vmid).then((found) => (found && found.node === decided.node && found.type === decided.type ? found : undefined));
        const label = `VMID ${decided.vmid} ('${decided.name ?? 'no name'}' on ${decided.node})`;
        if (!live) return err(jarvisError('DENIED', `identity changed since the decision: ${label} is no longer there; refused, not re-resolved`));
        if (live.name !== decided.name)
          return err(jarvisError('DENIED', `identity changed since the decision: ${label} is now named '${live.name ?? 'no name'}'; refused, not re-resolved`));
        guest = { vmid: decided.vmid, node: decided.node, type: decided.type, name: decided.name, status: live.status };
      } else {
        guest = await findGuest(action.target.vmid);
      }
      if (!guest) return err(jarvisError('PVE_NOT_FOUND', `VMID ${action.target.vmid} no longer exists`));
      const label = guestName(guest.type, guest.vmid);
      if (power === 'start' && guest.status === 'running') return ok({ summary: `${label} is already running`, noOp: true });
      if ((power === 'stop' || power === 'shutdown') && guest.status === 'stopped') return ok({ summary: `${label} is already stopped`, noOp: true });
      const task = await actuator.doPowerAction(guest.node, guest.type, guest.vmid, power, { signal });
      return awaitTask(actuator, task, `${power} ${label} (${guest.name ?? 'no name'}) on ${guest.node}`, signal, options.deadlineMs ?? 110_000);
    },
  };
}

/**
 * service.start/stop/restart of a node's systemd service through the PVE API, on the node the
 * kernel resolved; with `live`, a node that is no longer online is refused (DENIED), not re-resolved.
 */
export function pveServiceRunner(services: ServiceActuator, tasks: GuestActuator, options: { deadlineMs?: number; live?: LiveIdentity } = {}): ActionRunner {
  return {
    async doRun(action: Action, signal: AbortSignal, resolved?: ResolvedTarget) {
      if (action.target.type !== 'service') return err(jarvisError('INVALID_INPUT', `${action.kind} needs a service target`));
      const verb = action.kind.split('.')[1] as 'start' | 'stop' | 'restart';
      const node = await decidedNode(action, resolved, options.live, signal);
      if (!node.ok) return node;
      const task = await services.doServiceAction(node.value, action.target.unit, verb, { signal });
      return awaitTask(tasks, task, `${verb} ${action.target.unit} on ${node.value}`, signal, options.deadlineMs ?? 110_000);
    },
  };
}
