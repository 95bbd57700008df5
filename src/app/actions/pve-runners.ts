/**
 * ActionRunners over the PVE ports: guest power (GuestActuator) and node service start/stop/
 * restart (ServiceActuator). Each starts the PVE task and waits for it to end; a failed task is
 * TASK_FAILED, an unfinished one TASK_TIMEOUT. Only the guarded executor calls these.
 */
import type { Action } from '../../core/domain/action.ts';
import type { Guest } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { GuestActuator, GuestPowerAction, ServiceActuator, TaskRef } from '../../core/ports/cluster.ts';
import type { ActionOutcome, ActionRunner } from './action-runner.ts';

async function awaitTask(actuator: GuestActuator, task: Result<TaskRef, JarvisError>, label: string, signal: AbortSignal, deadlineMs: number): Promise<Result<ActionOutcome, JarvisError>> {
  if (!task.ok) return task;
  const status = await actuator.waitForTask(task.value, { signal, deadlineMs });
  if (!status.ok) return status;
  if (status.value.succeeded === false) {
    return err(jarvisError('TASK_FAILED', `${label} failed: ${status.value.exitstatus ?? 'unknown exit status'}`, { details: { upid: status.value.upid } }));
  }
  return ok({ summary: `${label}: task ${status.value.exitstatus ?? 'OK'}`, task: status.value });
}

/** guest.start/stop/shutdown/reboot through PVE; the guest is looked up live for its node and type. */
export function guestPowerRunner(actuator: GuestActuator, findGuest: (vmid: number) => Promise<Guest | undefined>, options: { deadlineMs?: number } = {}): ActionRunner {
  return {
    async doRun(action: Action, signal: AbortSignal) {
      if (action.target.type !== 'guest') return err(jarvisError('INVALID_INPUT', `${action.kind} needs a guest target`));
      const power = action.kind.split('.')[1] as GuestPowerAction;
      if (!['start', 'stop', 'shutdown', 'reboot'].includes(power)) return err(jarvisError('INVALID_INPUT', `${action.kind} is not a guest power action`));
      const guest = await findGuest(action.target.vmid);
      if (!guest) return err(jarvisError('PVE_NOT_FOUND', `VMID ${action.target.vmid} no longer exists`));
      if (power === 'start' && guest.status === 'running') return ok({ summary: `vm ${guest.vmid} is already running`, noOp: true });
      if ((power === 'stop' || power === 'shutdown') && guest.status === 'stopped') return ok({ summary: `vm ${guest.vmid} is already stopped`, noOp: true });
      const task = await actuator.doPowerAction(guest.node, guest.type, guest.vmid, power, { signal });
      return awaitTask(actuator, task, `${power} vm ${guest.vmid} (${guest.name ?? 'no name'}) on ${guest.node}`, signal, options.deadlineMs ?? 110_000);
    },
  };
}

/** service.start/stop/restart of a node's systemd service through the PVE API. */
export function pveServiceRunner(services: ServiceActuator, tasks: GuestActuator, options: { deadlineMs?: number } = {}): ActionRunner {
  return {
    async doRun(action: Action, signal: AbortSignal) {
      if (action.target.type !== 'service') return err(jarvisError('INVALID_INPUT', `${action.kind} needs a service target`));
      const verb = action.kind.split('.')[1] as 'start' | 'stop' | 'restart';
      const task = await services.doServiceAction(action.target.node, action.target.unit, verb, { signal });
      return awaitTask(tasks, task, `${verb} ${action.target.unit} on ${action.target.node}`, signal, options.deadlineMs ?? 110_000);
    },
  };
}
