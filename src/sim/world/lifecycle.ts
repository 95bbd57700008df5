/**
 * State changes of guests and services with the journal lines a real node would write:
 * start/stop bookkeeping, crashes, failed units, and the vzdump task of a backup-locked guest.
 */
import { backupSizeOf } from './guest-history.ts';
import type { SimWorld } from './sim-world.ts';
import type { GuestState } from './types.ts';

/** Marks a guest running (fresh pid, uptime from now, counters reset) or stopped (no usage). */
export function setGuestRunning(world: SimWorld, guest: GuestState, running: boolean): void {
  const node = world.node(guest.node);
  guest.status = running ? 'running' : 'stopped';
  guest.paused = undefined;
  if (running) {
    guest.startedAt = world.nowSeconds();
    guest.pid = node ? node.nextPid++ : 1;
    guest.cpu = guest.baseCpu;
    guest.mem = Math.round(guest.maxmem * 0.3);
  } else {
    guest.pid = undefined;
    guest.cpu = 0;
    guest.mem = 0;
  }
  guest.netin = guest.netout = guest.diskread = guest.diskwrite = 0;
}

/** A running guest dies (QEMU: OOM kill; LXC: container init exits). No-op when not running. */
export function crashGuest(world: SimWorld, vmid: number): void {
  const guest = world.guest(vmid);
  if (!guest || guest.status !== 'running') return;
  const pid = guest.pid;
  setGuestRunning(world, guest, false);
  if (guest.type === 'qemu') {
    world.addJournal(guest.node, 'kernel', 'kernel', 3, `Out of memory: Killed process ${pid} (kvm) total-vm:${Math.round(guest.maxmem / 1024)}kB`);
    world.addJournal(guest.node, `${vmid}.scope`, 'systemd', 4, `${vmid}.scope: Failed with result 'oom-kill'.`, 1);
    world.addJournal(guest.node, 'qmeventd', 'qmeventd', 6, `Starting cleanup for ${vmid}`);
  } else {
    world.addJournal(guest.node, `pve-container@${vmid}`, 'systemd', 3, `pve-container@${vmid}.service: Main process exited, code=exited, status=1/FAILURE`, 1);
  }
}

/** Sets a unit's systemd states (new main pid when it becomes active). */
export function setService(world: SimWorld, nodeName: string, unit: string, activeState: string, subState: string): void {
  const node = world.node(nodeName);
  const service = node?.services.find((entry) => entry.unit === unit);
  if (!node || !service) return;
  service.activeState = activeState;
  service.subState = subState;
  service.since = world.nowSeconds();
  service.mainPid = activeState === 'active' ? node.nextPid++ : undefined;
}

/** A unit is killed and systemd marks it failed. */
export function failService(world: SimWorld, node: string, unit: string): void {
  setService(world, node, unit, 'failed', 'failed');
  world.addJournal(node, unit, unit, 3, `${unit}.service: Main process exited, code=killed, status=9/KILL`);
  world.addJournal(node, unit, 'systemd', 4, `${unit}.service: Failed with result 'signal'.`, 1);
}

/** Guests locked for backup have a vzdump task running (started 20 minutes before `nowMs`, ~6 h long). */
export function startRunningBackups(world: SimWorld, nowMs: number): void {
  const startedMs = nowMs - 20 * 60_000;
  for (const guest of world.guests().filter((entry) => entry.lock === 'backup' && entry.status === 'running')) {
    const node = world.node(guest.node);
    if (!node) continue;
    world.tasks.start(
      {
        node,
        type: 'vzdump',
        id: String(guest.vmid),
        user: 'root@pam',
        durationMs: 6 * 3600_000,
        logLines: [
          `INFO: starting new backup job: vzdump ${guest.vmid} --storage nas --mode snapshot --compress zstd`,
          `INFO: Starting Backup of VM ${guest.vmid} (${guest.type})`,
          `INFO: Backup started at ${new Date(startedMs).toISOString().replace('T', ' ').slice(0, 19)}`,
        ],
        onEnd: (succeeded) => {
          if (guest.lock === 'backup') guest.lock = undefined;
          if (succeeded)
            world.addBackup({
              storage: 'nas',
              vmid: guest.vmid,
              type: guest.type,
              ctime: Math.floor((startedMs + 6 * 3600_000) / 1000),
              size: backupSizeOf(guest.maxdisk),
              notes: guest.name,
              protected: false,
            });
        },
      },
      startedMs,
    );
  }
}

/** A vzdump of one guest that fails after `durationMs` (the `backup-failed` fault). */
export function failBackup(world: SimWorld, vmid: number, durationMs: number): void {
  const guest = world.guest(vmid);
  const node = guest ? world.node(guest.node) : undefined;
  if (!guest || !node) return;
  world.tasks.start(
    {
      node,
      type: 'vzdump',
      id: String(vmid),
      user: 'root@pam',
      durationMs,
      failure: `job errors`,
      logLines: [
        `INFO: starting new backup job: vzdump ${vmid} --storage nas --mode snapshot`,
        `ERROR: Backup of VM ${vmid} failed - unable to write to storage 'nas': No space left on device`,
      ],
    },
    world.now(),
  );
}
