import { describe, expect, it } from 'vitest';
import type { GuestDto, TaskDto } from '../../../src/protocol/index.ts';
import { allowedActions, backupNeedsAttention, EMPTY_FILTER, guestCpu, lastBackups, matchesFilter, sortGuests, usageLevel } from './guest-view.ts';

const guest = (vmid: number, extra: Partial<GuestDto> = {}): GuestDto => ({
  vmid,
  type: 'qemu',
  node: 'pve',
  name: `g${vmid}`,
  status: 'running',
  template: false,
  tags: [],
  ...extra,
});

describe('guest view rules', () => {
  it('levels usage at 75 % and 90 %, unknown stays unknown', () => {
    expect([usageLevel(0.1), usageLevel(0.75), usageLevel(0.95), usageLevel(undefined)]).toEqual(['ok', 'warn', 'bad', 'unknown']);
  });
  it('sorts with unknown values last in both directions', () => {
    const list = [guest(1, { cpu: 0.5 }), guest(2), guest(3, { cpu: 0.1 })];
    expect(sortGuests(list, 'cpu', 'asc').map((g) => g.vmid)).toEqual([3, 1, 2]);
    expect(sortGuests(list, 'cpu', 'desc').map((g) => g.vmid)).toEqual([1, 3, 2]);
    expect(sortGuests(list, 'vmid', 'desc').map((g) => g.vmid)).toEqual([3, 2, 1]);
  });
  it("a stopped guest's CPU is unknown (—), not 0 %, and sorts with the unknowns", () => {
    expect(guestCpu(guest(1, { status: 'stopped', cpu: 0 }))).toBeUndefined();
    expect(guestCpu(guest(1, { status: 'paused', cpu: 0 }))).toBeUndefined();
    expect(guestCpu(guest(1, { cpu: 0 }))).toBe(0);
    const list = [guest(1, { status: 'stopped', cpu: 0 }), guest(2, { cpu: 0.2 }), guest(3, { cpu: 0 })];
    expect(sortGuests(list, 'cpu', 'asc').map((g) => g.vmid)).toEqual([3, 2, 1]);
  });
  it('filters by node, type, status, tag and every search word', () => {
    const a = guest(100, { name: 'pihole', type: 'lxc', tags: ['network'] });
    expect(matchesFilter(a, { ...EMPTY_FILTER, search: 'pi ct' })).toBe(true);
    expect(matchesFilter(a, { ...EMPTY_FILTER, search: 'pi vm' })).toBe(false);
    expect(matchesFilter(a, { ...EMPTY_FILTER, tag: 'network', type: 'lxc' })).toBe(true);
    expect(matchesFilter(a, { ...EMPTY_FILTER, node: 'agent' })).toBe(false);
    expect(matchesFilter(a, { ...EMPTY_FILTER, status: 'stopped' })).toBe(false);
  });
  it('offers only actions that fit the state', () => {
    expect(allowedActions(guest(1, { status: 'stopped' }), true).kinds).toEqual(['guest.start']);
    expect(allowedActions(guest(1), true).kinds).toEqual(['guest.shutdown', 'guest.reboot', 'guest.stop']);
    expect(allowedActions(guest(1, { lock: 'backup' }), true)).toEqual({ kinds: [], reason: 'locked' });
    expect(allowedActions(guest(1), false).kinds).toEqual([]);
    expect(allowedActions(guest(1, { template: true, status: 'stopped' }), true).kinds).toEqual([]);
  });
  it('finds the newest vzdump per guest and flags missing, failed or old backups', () => {
    const task = (vmid: number, endedAt: number, succeeded: boolean): TaskDto => ({
      upid: `U${vmid}${endedAt}`,
      node: 'pve',
      type: 'vzdump',
      vmid,
      status: 'stopped',
      startedAt: endedAt - 10,
      endedAt,
      succeeded,
    });
    const backups = lastBackups([task(1, 100, true), task(1, 200, false), task(2, 50, true), { ...task(3, 1, true), type: 'qmstart' }]);
    // the last good backup is the one at 100; the newer attempt failed: the result says so
    expect(backups.get(1)).toMatchObject({ at: 100, ok: false, source: 'task' });
    expect(lastBackups([task(4, 200, false)]).get(4)).toMatchObject({ at: 200, ok: false });
    expect(backups.has(3)).toBe(false);
    expect(backupNeedsAttention(backups.get(1), 300)).toBe(true);
    expect(backupNeedsAttention(backups.get(2), 300)).toBe(false);
    expect(backupNeedsAttention(undefined, 300)).toBe(true);
  });
  it('merges storage archives with vzdump tasks: newest good one wins, the task gives the result when it is as new', () => {
    const task = (vmid: number, endedAt: number, succeeded: boolean | undefined, status: TaskDto['status'] = 'stopped'): TaskDto => ({
      upid: `U${vmid}${endedAt}`,
      node: 'pve',
      type: 'vzdump',
      vmid,
      status,
      startedAt: endedAt - 10,
      endedAt: status === 'running' ? undefined : endedAt,
      succeeded,
      exitstatus: succeeded === false ? 'job errors' : 'OK',
    });
    const archive = (vmid: number, createdAt: number) => ({
      vmid,
      createdAt,
      volid: `nas:backup/vzdump-qemu-${vmid}-${createdAt}.vma.zst`,
      storage: 'nas',
      node: 'agent',
    });
    const backups = lastBackups(
      [task(1, 100, true), task(2, 300, true), task(3, 400, false), task(4, 90, undefined, 'running')],
      [archive(1, 250), archive(2, 290), archive(3, 350), archive(5, 60), archive(4, 80), { ...archive(6, 1), createdAt: undefined }],
    );
    // archive newer than the last task: the archive speaks (ok), its node and volid
    expect(backups.get(1)).toMatchObject({
      at: 250,
      ok: true,
      source: 'storage',
      node: 'agent',
      volid: 'nas:backup/vzdump-qemu-1-250.vma.zst',
      exitstatus: undefined,
    });
    // the task that wrote the archive ends after its ctime: the task's time and result
    expect(backups.get(2)).toMatchObject({ at: 300, ok: true, source: 'task', exitstatus: 'OK', storage: 'nas' });
    // an attempt after the newest archive failed: age of the archive, result failed
    expect(backups.get(3)).toMatchObject({ at: 350, ok: false, source: 'storage', exitstatus: 'job errors' });
    expect(backupNeedsAttention(backups.get(3), 400)).toBe(true);
    // a running backup after an archive: running, age of the archive
    expect(backups.get(4)).toMatchObject({ at: 80, running: true, ok: undefined });
    // storage only: no task was ever seen
    expect(backups.get(5)).toMatchObject({ at: 60, ok: true, source: 'storage' });
    expect(backupNeedsAttention(backups.get(5), 100)).toBe(false);
    expect(backups.has(6)).toBe(false);
  });
});
