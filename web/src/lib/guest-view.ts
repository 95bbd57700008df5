/**
 * Pure rules of the guest table: search, filters, sort, usage thresholds, state-aware actions and
 * the last backup per guest (PVE `vzdump` tasks merged with backup storage contents). No React, no DOM: tested in guest-view.test.ts.
 */
import type { ActionRequest, GuestDto, TaskDto } from '../../../src/protocol/index.ts';

export type SortKey = 'type' | 'name' | 'vmid' | 'node' | 'status' | 'cpu' | 'mem' | 'disk' | 'uptime' | 'backup';
export interface GuestFilter {
  readonly search: string;
  readonly node: string;
  readonly type: string;
  readonly status: string;
  readonly tag: string;
}
export const EMPTY_FILTER: GuestFilter = { search: '', node: '', type: '', status: '', tag: '' };

/** Usage level for a bar: ok below 75 %, warn below 90 %, bad at or above (PVE's and Pulse's defaults). */
export type Level = 'ok' | 'warn' | 'bad' | 'unknown';
export const THRESHOLDS = { warn: 0.75, bad: 0.9 } as const;
export function usageLevel(fraction: number | undefined): Level {
  if (fraction === undefined || !Number.isFinite(fraction)) return 'unknown';
  if (fraction >= THRESHOLDS.bad) return 'bad';
  if (fraction >= THRESHOLDS.warn) return 'warn';
  return 'ok';
}

/**
 * A guest's CPU usage, or undefined ("—") when it is not running: PVE reports cpu 0 for a stopped
 * guest, which is "not applicable", not "idle" (memory of a stopped guest is absent for the same reason).
 */
export function guestCpu(guest: Pick<GuestDto, 'status' | 'cpu'> | undefined): number | undefined {
  return guest?.status === 'running' ? guest.cpu : undefined;
}

export function ratio(used: number | undefined, total: number | undefined): number | undefined {
  if (used === undefined || total === undefined || total <= 0) return undefined;
  return Math.min(1, Math.max(0, used / total));
}

/**
 * Last backup of one guest: `at` is the newest of (a) the archives on backup storages (their
 * ctime) and (b) the successful `vzdump` tasks (their end). The result comes from the newest
 * vzdump task when it is at least as new as that backup (running, failed or OK); otherwise the
 * archive speaks for itself (ok, `source` 'storage'). Without either, the newest failed or running
 * task alone (ok false / running).
 */
export interface BackupInfo {
  readonly at: number;
  readonly ok: boolean | undefined;
  readonly running: boolean;
  readonly exitstatus: string | undefined;
  readonly node: string;
  /** Where `at` comes from. */
  readonly source: 'task' | 'storage';
  /** The newest archive, when storage contents list one. */
  readonly volid?: string | undefined;
  readonly storage?: string | undefined;
  readonly size?: number | undefined;
}

/** What lastBackups needs of a storage archive (BackupVolumeDto). */
export interface BackupArchive {
  readonly vmid?: number | undefined;
  readonly createdAt?: number | undefined;
  readonly volid: string;
  readonly storage: string;
  readonly node: string;
  readonly size?: number | undefined;
}

export function lastBackups(tasks: Iterable<TaskDto>, archives: Iterable<BackupArchive> = []): Map<number, BackupInfo> {
  const newestTask = new Map<number, TaskDto>();
  const newestGood = new Map<number, TaskDto>();
  const timeOf = (task: TaskDto) => task.endedAt ?? task.startedAt;
  for (const task of tasks) {
    if (task.type !== 'vzdump' || task.vmid === undefined) continue;
    const previous = newestTask.get(task.vmid);
    if (!previous || timeOf(task) > timeOf(previous)) newestTask.set(task.vmid, task);
    if (task.status !== 'running' && task.succeeded !== false) {
      const good = newestGood.get(task.vmid);
      if (!good || timeOf(task) > timeOf(good)) newestGood.set(task.vmid, task);
    }
  }
  const newestArchive = new Map<number, BackupArchive & { createdAt: number }>();
  for (const archive of archives) {
    if (archive.vmid === undefined || archive.createdAt === undefined) continue;
    const previous = newestArchive.get(archive.vmid);
    if (!previous || archive.createdAt > previous.createdAt) newestArchive.set(archive.vmid, { ...archive, createdAt: archive.createdAt });
  }
  const out = new Map<number, BackupInfo>();
  for (const vmid of new Set([...newestTask.keys(), ...newestArchive.keys()])) {
    const task = newestTask.get(vmid);
    const good = newestGood.get(vmid);
    const archive = newestArchive.get(vmid);
    const files = archive ? { volid: archive.volid, storage: archive.storage, size: archive.size } : {};
    const goodAt = good ? timeOf(good) : undefined;
    const at = Math.max(goodAt ?? -Infinity, archive?.createdAt ?? -Infinity);
    if (at === -Infinity) {
      // only a failed or running attempt is known
      out.set(vmid, {
        at: timeOf(task!),
        ok: task!.status === 'running' ? undefined : false,
        running: task!.status === 'running',
        exitstatus: task!.exitstatus,
        node: task!.node,
        source: 'task',
      });
      continue;
    }
    const source = goodAt !== undefined && goodAt >= (archive?.createdAt ?? -Infinity) ? 'task' : 'storage';
    const node = source === 'task' ? good!.node : archive!.node;
    if (task && timeOf(task) >= at) {
      const running = task.status === 'running';
      out.set(vmid, { at, ok: running ? undefined : task.succeeded !== false, running, exitstatus: task.exitstatus, node, source, ...files });
    } else {
      out.set(vmid, { at, ok: true, running: false, exitstatus: undefined, node, source, ...files });
    }
  }
  return out;
}

/** A backup older than this (or none, or a failed one) stands out. */
export const BACKUP_STALE_MS = 48 * 3_600_000;
export function backupNeedsAttention(backup: BackupInfo | undefined, now: number): boolean {
  return !backup || backup.ok === false || now - backup.at > BACKUP_STALE_MS;
}

export function matchesFilter(guest: GuestDto, filter: GuestFilter): boolean {
  if (filter.node && guest.node !== filter.node) return false;
  if (filter.type && guest.type !== filter.type) return false;
  if (filter.status && guest.status !== filter.status) return false;
  if (filter.tag && !guest.tags.includes(filter.tag)) return false;
  const needle = filter.search.trim().toLowerCase();
  if (!needle) return true;
  const hay = `${guest.vmid} ${guest.name ?? ''} ${guest.node} ${guest.status} ${guest.tags.join(' ')} ${guest.type === 'qemu' ? 'vm' : 'ct'}`.toLowerCase();
  return needle.split(/\s+/).every((word) => hay.includes(word));
}

function sortValue(guest: GuestDto, key: SortKey, backups: ReadonlyMap<number, BackupInfo>): number | string | undefined {
  switch (key) {
    case 'type':
      return guest.type;
    case 'name':
      return (guest.name ?? '').toLowerCase();
    case 'vmid':
      return guest.vmid;
    case 'node':
      return guest.node.toLowerCase();
    case 'status':
      return guest.status;
    case 'cpu':
      return guestCpu(guest);
    case 'mem':
      return ratio(guest.mem, guest.maxmem);
    case 'disk':
      return ratio(guest.disk, guest.maxdisk);
    case 'uptime':
      return guest.status === 'running' ? guest.uptime : undefined;
    case 'backup':
      return backups.get(guest.vmid)?.at;
  }
}

/** Stable sort; unknown values ("—") always last whatever the direction. */
export function sortGuests(
  guests: readonly GuestDto[],
  key: SortKey,
  direction: 'asc' | 'desc',
  backups: ReadonlyMap<number, BackupInfo> = new Map(),
): GuestDto[] {
  const sign = direction === 'asc' ? 1 : -1;
  return guests
    .map((guest, index) => ({ guest, index, value: sortValue(guest, key, backups) }))
    .sort((a, b) => {
      if (a.value === undefined && b.value === undefined) return a.index - b.index;
      if (a.value === undefined) return 1;
      if (b.value === undefined) return -1;
      const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : String(a.value).localeCompare(String(b.value));
      return order !== 0 ? sign * order : a.guest.vmid - b.guest.vmid;
    })
    .map((entry) => entry.guest);
}

/**
 * Actions that make sense in the guest's current state: Start only when stopped; Shutdown, Reboot
 * and Stop only when running; nothing while PVE holds a lock, on a template, or when the state is
 * unknown (its node is offline). `reason` says why a button is missing.
 */
export function allowedActions(guest: GuestDto, nodeOnline: boolean): { kinds: ActionRequest['kind'][]; reason?: string } {
  if (!nodeOnline) return { kinds: [], reason: 'node offline: state unknown' };
  if (guest.template) return { kinds: [], reason: 'template' };
  if (guest.lock) return { kinds: [], reason: `locked` };
  if (guest.status === 'stopped') return { kinds: ['guest.start'] };
  if (guest.status === 'running') return { kinds: ['guest.shutdown', 'guest.reboot', 'guest.stop'] };
  if (guest.status === 'paused' || guest.status === 'suspended') return { kinds: ['guest.stop'] };
  return { kinds: [], reason: `state ${guest.status}` };
}

export const ACTION_LABELS: Record<ActionRequest['kind'], string> = {
  'guest.start': 'Start',
  'guest.shutdown': 'Shutdown',
  'guest.reboot': 'Reboot',
  'guest.stop': 'Stop',
};
