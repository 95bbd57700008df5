/**
 * QEMU suspend (pause), resume and reset: synchronous `VM N not running` for a stopped VM,
 * otherwise a `qmpause` / `qmresume` / `qmreset` task. A paused VM keeps `status: running` in
 * guest lists, shows `qmpstatus: paused` (and `paused` in /cluster/resources), uses no CPU and
 * refuses shutdown/reboot with `VM is paused - cannot shutdown`.
 * @see reference pve-api.md §5.11
 */
import { guestOn, missingConfig, type ActionResult } from './actions.ts';
import type { SimWorld } from './sim-world.ts';
import type { NodeState } from './types.ts';

export type QemuStateAction = 'suspend' | 'resume' | 'reset';

const TASK_TYPES: Record<QemuStateAction, string> = { suspend: 'qmpause', resume: 'qmresume', reset: 'qmreset' };

/** POST /nodes/{node}/qemu/{vmid}/status/{suspend|resume|reset}. */
export function qemuStateAction(world: SimWorld, node: NodeState, vmid: number, action: QemuStateAction, user: string): ActionResult {
  const guest = guestOn(world, node.name, 'qemu', vmid);
  if (!guest) return { ok: false, status: 500, message: missingConfig(node.name, 'qemu', vmid) };
  if (guest.status !== 'running') return { ok: false, status: 500, message: `VM ${vmid} not running` };
  const failure = guest.lock && action !== 'resume' ? `VM is locked (${guest.lock})` : undefined;
  const upid = world.tasks.start(
    {
      node,
      type: TASK_TYPES[action],
      id: String(vmid),
      user,
      failure,
      durationMs: Math.max(1, Math.round(world.options.taskDurationMs * 0.2)),
      onEnd: (succeeded) => {
        if (!succeeded || guest.status !== 'running') return;
        if (action === 'suspend') guest.paused = true;
        if (action === 'resume') guest.paused = undefined;
        if (action === 'reset') world.addJournal(guest.node, `${vmid}.scope`, 'QEMU', 6, `VM ${vmid} reset by ${user}`);
      },
    },
    world.now(),
  );
  return { ok: true, upid };
}
