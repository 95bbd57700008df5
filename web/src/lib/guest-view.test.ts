import { describe, expect, it } from 'vitest';
import type { GuestDto, TaskDto } from '../../../src/protocol/index.ts';
import { allowedActions, backupNeedsAttention, EMPTY_FILTER, lastBackups, matchesFilter, sortGuests, usageLevel } from './guest-view.ts';

const guest = (vmid: number, extra: Partial<GuestDto> = {}): GuestDto => ({ vmid, type: 'qemu', node: 'pve', name: `g${vmid}`, status: 'running', template: false, tags: [], ...extra });

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
    const task = (vmid: number, endedAt: number, succeeded: boolean): TaskDto => ({ upid: `U${vmid}${endedAt}`, node: 'pve', type: 'vzdump', vmid, status: 'stopped', startedAt: endedAt - 10, endedAt, succeeded });
    const backups = lastBackups([task(1, 100, true), task(1, 200, false), task(2, 50, true), { ...task(3, 1, true), type: 'qmstart' }]);
    expect(backups.get(1)).toMatchObject({ at: 200, ok: false });
    expect(backups.has(3)).toBe(false);
    expect(backupNeedsAttention(backups.get(1), 300)).toBe(true);
    expect(backupNeedsAttention(backups.get(2), 300)).toBe(false);
    expect(backupNeedsAttention(undefined, 300)).toBe(true);
  });
});
