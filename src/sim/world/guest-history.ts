/**
 * What a guest has behind it: its snapshots (the config's snapshot sections, `parent` chain) and
 * its vzdump archives on backup storages. Seeded as deterministic functions of the vmid (hashUnit,
 * not the world's PRNG, so adding them leaves every other seeded figure unchanged).
 * @see reference pve-api.md; PVE API viewer: /nodes/{node}/qemu/{vmid}/snapshot,
 *      /nodes/{node}/storage/{storage}/content
 */
import { hashUnit } from '../prng.ts';
import type { GuestKind, GuestState } from './types.ts';

export interface SimSnapshot {
  readonly name: string;
  readonly description: string;
  /** Epoch seconds. */
  readonly snaptime: number;
  readonly parent?: string | undefined;
  /** RAM state saved with the snapshot (qemu). */
  readonly vmstate: boolean;
}

export interface SimBackup {
  readonly storage: string;
  /** Node of a node-local storage; undefined on a shared one. */
  readonly node?: string | undefined;
  readonly vmid: number;
  readonly type: GuestKind;
  /** Epoch seconds the archive was written. */
  readonly ctime: number;
  readonly size: number;
  readonly notes?: string | undefined;
  readonly protected: boolean;
}

const DAY = 86_400;
const GiB = 2 ** 30;

/** Seed snapshot chains, oldest first: [name, description, days ago, vmstate]. */
const SEED_SNAPSHOTS: Readonly<Record<number, readonly (readonly [string, string, number, boolean])[]>> = {
  101: [
    ['pre-upgrade', 'Before the Jellyfin 10.9 upgrade', 12, false],
    ['before-plugin', 'Before installing the subtitle plugin', 2, true],
  ],
  102: [['ha-2026-11', 'Home Assistant 2026.11 working state', 30, false]],
  103: [['pre-jarvis-update', 'Management VM before the Jarvis image update', 3, false]],
  105: [['k3s-1-31', 'Cluster on k3s v1.31 before the upgrade', 14, false]],
  202: [['pre-migration', 'Before the schema migration of the app database', 5, false]],
};

/** Seed guests without any archive, and ones whose only archive is old (days). */
const NO_BACKUP = new Set([110, 207]);
const OLD_BACKUP_DAYS: Readonly<Record<number, number>> = { 104: 9 };
/** Seed containers backed up to their node's `local` storage instead of the shared NAS. */
const LOCAL_BACKUP = new Set([200, 203, 208]);

/** Sets `snapshots` and `snapParent` on the seed guests that have snapshots. */
export function seedSnapshots(guests: readonly GuestState[], nowSec: number): void {
  for (const guest of guests) {
    const chain = SEED_SNAPSHOTS[guest.vmid];
    if (!chain) continue;
    let parent: string | undefined;
    guest.snapshots = chain.map(([name, description, daysAgo, vmstate]) => {
      const snapshot: SimSnapshot = {
        name,
        description,
        snaptime: nowSec - daysAgo * DAY - Math.floor(hashUnit('snap', guest.vmid, daysAgo) * 3600),
        parent,
        vmstate: guest.type === 'qemu' && vmstate,
      };
      parent = name;
      return snapshot;
    });
    guest.snapParent = parent;
  }
}

/**
 * Archives on backup storages: most guests have a nightly one (6–30 h old) plus an older weekly
 * one; 110 and 207 have none, 104 only a 9-day-old one, templates none; three containers keep
 * theirs on the node's `local`. Generated guests (vmid ≥ 1000): ~80 % have one.
 */
export function seedBackups(guests: readonly GuestState[], nowSec: number): SimBackup[] {
  const out: SimBackup[] = [];
  for (const guest of guests) {
    if (guest.template || NO_BACKUP.has(guest.vmid)) continue;
    const unit = hashUnit('backup', guest.vmid);
    if (guest.vmid >= 1000 && unit < 0.2) continue;
    const storage = LOCAL_BACKUP.has(guest.vmid) ? 'local' : 'nas';
    const node = storage === 'local' ? guest.node : undefined;
    const size = Math.round(guest.maxdisk * (0.08 + 0.3 * hashUnit('size', guest.vmid)));
    const base = { storage, node, vmid: guest.vmid, type: guest.type, notes: guest.name, protected: false } as const;
    const oldDays = OLD_BACKUP_DAYS[guest.vmid];
    if (oldDays !== undefined) {
      out.push({ ...base, ctime: nowSec - oldDays * DAY - 3600, size });
      continue;
    }
    out.push({ ...base, ctime: nowSec - 6 * 3600 - Math.floor(unit * 24 * 3600), size });
    if (guest.vmid < 1000)
      out.push({ ...base, ctime: nowSec - 8 * DAY - Math.floor(unit * 3600), size: Math.round(size * 0.97), protected: guest.vmid === 103 });
  }
  return out;
}

/** `vzdump-qemu-101-2026_12_04-02_00_05.vma.zst` (UTC, as the archive name PVE writes). */
export function backupVolid(backup: SimBackup): string {
  const iso = new Date(backup.ctime * 1000).toISOString();
  const date = iso.slice(0, 10).replace(/-/g, '_');
  const time = iso.slice(11, 19).replace(/:/g, '_');
  return `${backup.storage}:backup/vzdump-${backup.type}-${backup.vmid}-${date}-${time}.${backup.type === 'qemu' ? 'vma.zst' : 'tar.zst'}`;
}

export const backupSizeOf = (maxdisk: number): number => Math.max(GiB / 4, Math.round(maxdisk * 0.2));
