/**
 * The in-place fast path for /cluster/resources guest entries (plainResourceGuest) accepts only
 * what the lenient schema accepts and maps to the same Guest; and it does accept every entry PVE
 * sends in the usual shape, so the poll stays on it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapGuest } from '../mappers/map-guest.ts';
import { plainResourceGuest, resourceGuestSchema } from './cluster.ts';

const numberish = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, '3800.000', '12', ' 7 ', 'x', '', true, 1, 0, null, undefined, {}, []),
);
const stringish = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(null, undefined, 0, 1, true, {}, ['a']));
const flag = fc.constantFrom(0, 1, true, false, '0', '1', 2, 'yes', null, undefined);
const NUMBERS = ['uptime', 'cpu', 'maxcpu', 'mem', 'maxmem', 'disk', 'maxdisk', 'netin', 'netout'] as const;
const STRINGS = ['status', 'name', 'tags', 'lock', 'hastate'] as const;

/** An entry with every field present or absent, well or badly typed. */
const anyEntry = fc
  .record(
    {
      type: fc.constantFrom('qemu', 'lxc', 'node', 'storage', 1, undefined),
      vmid: numberish,
      node: stringish,
      template: flag,
      extra: fc.anything(),
      ...Object.fromEntries(NUMBERS.map((key) => [key, numberish])),
      ...Object.fromEntries(STRINGS.map((key) => [key, stringish])),
    },
    { requiredKeys: [] },
  )
  .map((entry) => JSON.parse(JSON.stringify(entry)) as unknown); // what JSON.parse can produce: no undefined, NaN becomes null

/** The usual shape: figures as JSON numbers. */
const plainEntry = fc
  .record(
    {
      type: fc.constantFrom('qemu', 'lxc'),
      vmid: fc.integer({ min: 100, max: 999_999_999 }),
      node: fc.string({ minLength: 1, maxLength: 12 }),
      template: fc.constantFrom(0, 1),
      ...Object.fromEntries(NUMBERS.map((key) => [key, fc.oneof(fc.integer({ min: 0 }), fc.double({ min: 0, max: 1, noNaN: true }))])),
      ...Object.fromEntries(STRINGS.map((key) => [key, fc.string({ maxLength: 12 })])),
    },
    { requiredKeys: ['type', 'vmid', 'node'] },
  )
  .map((entry) => JSON.parse(JSON.stringify(entry)) as unknown);

/** The usual shape with one field replaced by any value: the edge between the two paths. */
const nearPlain = fc
  .tuple(plainEntry, fc.constantFrom('type', 'vmid', 'node', 'template', ...NUMBERS, ...STRINGS), fc.oneof(numberish, stringish, flag))
  .map(([entry, key, value]) => JSON.parse(JSON.stringify({ ...(entry as object), [key]: value })) as unknown);

describe('plainResourceGuest (the poll fast path)', () => {
  it('accepts only what resourceGuestSchema accepts, and maps to the same Guest (property)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(anyEntry, nearPlain), (entry) => {
        const plain = plainResourceGuest(entry);
        if (plain === undefined) return;
        accepted += 1;
        const parsed = resourceGuestSchema.safeParse(entry);
        expect(parsed.success).toBe(true);
        if (parsed.success) expect(mapGuest(plain)).toEqual(mapGuest(parsed.data));
      }),
      { numRuns: 3_000 },
    );
    expect(accepted).toBeGreaterThan(300); // the generator reaches the accepting side, not only rejections
  });

  it('takes every entry of the usual shape (so the poll never falls back for it)', () => {
    fc.assert(
      fc.property(plainEntry, (entry) => {
        expect(plainResourceGuest(entry)).toBe(entry);
      }),
      { numRuns: 1_000 },
    );
  });

  it('leaves numbers sent as strings and odd flags to the lenient schema', () => {
    const base = { type: 'qemu', vmid: 100, node: 'pve' };
    expect(plainResourceGuest({ ...base, cpu: '0.5' })).toBeUndefined();
    expect(plainResourceGuest({ ...base, vmid: '100' })).toBeUndefined();
    expect(plainResourceGuest({ ...base, template: '1' })).toBeUndefined();
    expect(plainResourceGuest({ ...base, name: 5 })).toBeUndefined();
    expect(plainResourceGuest({ type: 'qemu', vmid: 100 })).toBeUndefined();
    expect(plainResourceGuest(null)).toBeUndefined();
    expect(plainResourceGuest({ ...base, cpu: null, template: true })).toEqual({ ...base, cpu: null, template: true });
  });
});
