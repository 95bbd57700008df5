import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { act, NOW, seedSnapshot, TOPOLOGY } from '../../../test/kernel/fixtures.ts';
import { decide } from '../safety/decide.ts';
import { NO_LOCKS } from '../safety/decision.ts';
import { describeTarget } from './action.ts';
import type { GuestType } from './cluster.ts';
import { guestName, guestTypeIn } from './guest-name.ts';

const kind = fc.constantFrom<GuestType>('qemu', 'lxc');
const vmid = fc.integer({ min: 100, max: 999_999_999 });
const WORD = { qemu: 'VM', lxc: 'CT' } as const;
const OTHER = { qemu: 'CT', lxc: 'VM' } as const;

describe('guestName: a guest is named by its kind', () => {
  it('says VM for qemu and CT for lxc, for any VMID, and never the other word', () => {
    fc.assert(
      fc.property(kind, vmid, (type, id) => {
        const name = guestName(type, id);
        expect(name).toBe(`${WORD[type]} ${id}`);
        expect(name).not.toMatch(new RegExp(`\\b${OTHER[type]}\\b`, 'i'));
        expect(describeTarget({ type: 'guest', vmid: id }, type)).toBe(name);
      }),
    );
  });

  it('an unknown kind is a "guest", never a guessed VM', () => {
    fc.assert(
      fc.property(vmid, (id) => {
        expect(guestName(undefined, id)).toBe(`guest ${id}`);
        expect(describeTarget({ type: 'guest', vmid: id })).toBe(`guest ${id}`);
      }),
    );
  });

  it('decide names the target by the kind the snapshot gives it, in the label, the preview and every reason', () => {
    const actions = fc.constantFrom('guest.start', 'guest.stop', 'guest.shutdown', 'guest.reboot', 'guest.migrate', 'guest.config' as const);
    fc.assert(
      fc.property(kind, fc.integer({ min: 200, max: 99_999 }), actions, fc.constantFrom('running', 'stopped'), (type, id, action, status) => {
        const snapshot = seedSnapshot();
        const withGuest = { ...snapshot, guests: [...snapshot.guests, { vmid: id, type, node: 'pve', name: 'x', status, template: false, tags: [] }] };
        const decision = decide(act(action, { type: 'guest', vmid: id }), withGuest, TOPOLOGY, NO_LOCKS, NOW);
        expect(decision.targetLabel).toBe(`${WORD[type]} ${id}`);
        expect(guestTypeIn(withGuest.guests, id)).toBe(type);
        const text = [decision.preview.summary, ...decision.reasons].join('\n');
        expect(text).not.toMatch(new RegExp(`\\b${OTHER[type]} ${id}\\b`, 'i'));
        if (text.includes(String(id))) expect(decision.preview.summary).toContain(`${WORD[type]} ${id}`);
      }),
    );
  });
});
