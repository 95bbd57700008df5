import { describe, expect, it } from 'vitest';
import type { SnapshotDto } from './cluster.ts';
import { SnapshotDtoSchema, SnapshotDeltaSchema } from './cluster.ts';
import { applySnapshotDelta, computeSnapshotDelta } from './snapshot-delta.ts';

const base: SnapshotDto = {
  version: 1,
  takenAt: 1000,
  clusterName: 'homelab',
  quorum: { quorate: true, nodesTotal: 2, votesOnline: 2, votesTotal: 2, votesNeeded: 2 },
  nodes: [
    { name: 'pve', status: 'online', votes: 1, cpu: 0.1 },
    { name: 'agent1', status: 'online', votes: 1 },
  ],
  guests: [
    { vmid: 101, type: 'qemu', node: 'pve', name: 'web', status: 'running', template: false, tags: ['a'] },
    { vmid: 103, type: 'qemu', node: 'agent1', name: 'management', status: 'running', template: false, tags: [] },
  ],
  storage: [{ id: 'storage/pve/local', storage: 'local', node: 'pve', type: 'dir', status: 'available', shared: false, content: ['iso'], used: 1, total: 10 }],
};

describe('snapshot delta', () => {
  it('carries only changed, added and removed entities, and round-trips through apply', () => {
    const next: SnapshotDto = {
      ...base,
      version: 2,
      takenAt: 2000,
      quorum: { ...base.quorum, votesOnline: 1, quorate: false },
      nodes: [{ name: 'pve', status: 'offline', votes: 1 }, base.nodes[1]!],
      guests: [base.guests[1]!, { vmid: 104, type: 'lxc', node: 'agent1', status: 'stopped', template: false, tags: [] }],
    };
    const delta = computeSnapshotDelta(base, next);
    expect(SnapshotDeltaSchema.parse(delta)).toEqual(delta);
    expect(delta.upsert.nodes.map((node) => node.name)).toEqual(['pve']);
    expect(delta.upsert.guests.map((guest) => guest.vmid)).toEqual([104]);
    expect(delta.remove.guests).toEqual([101]);
    expect(delta.upsert.storage).toEqual([]);
    expect(delta.quorum?.quorate).toBe(false);
    const applied = applySnapshotDelta(base, delta);
    expect(SnapshotDtoSchema.parse(applied)).toEqual(applied);
    expect(applied).toEqual({ ...next, guests: [base.guests[1], next.guests[1]] });
  });

  it('detects a changed tag list and a field that became unknown', () => {
    const next: SnapshotDto = {
      ...base,
      version: 2,
      guests: [{ ...base.guests[0]!, tags: ['b'] }, base.guests[1]!],
      nodes: [{ name: 'pve', status: 'online', votes: 1 }, base.nodes[1]!],
    };
    const delta = computeSnapshotDelta(base, next);
    expect(delta.upsert.guests.map((guest) => guest.vmid)).toEqual([101]);
    expect(delta.upsert.nodes[0]).toEqual({ name: 'pve', status: 'online', votes: 1 });
    expect(applySnapshotDelta(base, delta).nodes[0]?.cpu).toBeUndefined();
  });

  it('ignores a delta that is not newer than the snapshot', () => {
    const delta = computeSnapshotDelta(base, { ...base, version: 1, nodes: [] });
    expect(applySnapshotDelta(base, delta)).toBe(base);
  });
});

import fc from 'fast-check';
import { DISPLAY_PRECISION, EXACT_PRECISION } from './snapshot-delta.ts';
import type { GuestDto } from './cluster.ts';

const GiB = 2 ** 30;

describe('snapshot delta at display precision', () => {
  const guest = (vmid: number, extra: Partial<GuestDto> = {}): GuestDto => ({
    vmid,
    type: 'qemu',
    node: 'pve',
    name: `g${vmid}`,
    status: 'running',
    template: false,
    tags: [],
    cpu: 0.2,
    maxcpu: 2,
    mem: 2 * GiB,
    maxmem: 4 * GiB,
    uptime: 3600,
    netin: 1000,
    netout: 1000,
    ...extra,
  });
  const snap = (version: number, takenAt: number, guests: GuestDto[]): SnapshotDto => ({
    ...base,
    version,
    takenAt,
    guests,
    storage: [],
    nodes: [{ name: 'pve', status: 'online', votes: 1, cpu: 0.1, uptime: 100 }],
  });

  it('sends nothing for changes below one display unit and predicts uptime', () => {
    const prev = snap(1, 10_000, [guest(101), guest(102)]);
    const next = snap(2, 20_000, [guest(101, { cpu: 0.204, mem: 2 * GiB + 20 * 2 ** 20, uptime: 3610 }), guest(102, { uptime: 3610 })]);
    next.nodes = [{ name: 'pve', status: 'online', votes: 1, cpu: 0.1, uptime: 110 }];
    const delta = computeSnapshotDelta(prev, next);
    expect(delta.upsert.guests).toEqual([]);
    expect(delta.upsert.nodes).toEqual([]);
    expect(delta.metrics).toBeUndefined();
    const applied = applySnapshotDelta(prev, delta);
    expect(applied.guests.map((entry) => entry.uptime)).toEqual([3610, 3610]);
    expect(applied.nodes[0]?.uptime).toBe(110);
    expect(applied.guests[0]?.cpu).toBe(0.2); // the published value, within one percent of the truth
  });

  it('sends a visible metric change as a compact gap-coded column and structure as a whole entity', () => {
    const prev = snap(1, 10_000, [guest(101), guest(102), guest(105)]);
    const next = snap(2, 20_000, [
      guest(101, { cpu: 0.5, uptime: 3610 }),
      guest(102, { status: 'stopped', cpu: 0.2, uptime: 3610 }),
      guest(105, { cpu: 0.31, mem: 3 * GiB, uptime: 3610 }),
    ]);
    const delta = computeSnapshotDelta(prev, next);
    expect(delta.upsert.guests.map((entry) => entry.vmid)).toEqual([102]);
    expect(delta.metrics?.guests).toEqual({ cpu: [101, 500, 4, 310], mem: [105, 3072] });
    const applied = applySnapshotDelta(prev, JSON.parse(JSON.stringify(delta)));
    expect(applied.guests.find((entry) => entry.vmid === 101)?.cpu).toBe(0.5);
    expect(applied.guests.find((entry) => entry.vmid === 105)?.mem).toBe(3 * GiB);
    expect(applied.guests.find((entry) => entry.vmid === 102)).toEqual(next.guests[1]);
  });

  it('sends every change with EXACT_PRECISION, as whole entities', () => {
    const prev = snap(1, 10_000, [guest(101)]);
    const next = snap(2, 20_000, [guest(101, { cpu: 0.2001, uptime: 3610 })]);
    const delta = computeSnapshotDelta(prev, next, EXACT_PRECISION);
    expect(delta.upsert.guests).toEqual([next.guests[0]]);
    expect(delta.metrics).toBeUndefined();
  });

  const metricValue = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined });
  const guestArb = fc.record({
    vmid: fc.integer({ min: 100, max: 140 }),
    status: fc.constantFrom('running', 'stopped'),
    cpu: metricValue,
    memFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    name: fc.constantFrom('a', 'b'),
    reboot: fc.boolean(),
  });
  const stepArb = fc.record({
    seconds: fc.integer({ min: 1, max: 30 }),
    sorted: fc.boolean(),
    guests: fc.uniqueArray(guestArb, { selector: (entry) => entry.vmid, maxLength: 12 }),
  });

  it('property: the client (JSON-decoded deltas) always equals the published view, structure is exact and every metric is within its epsilon', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), (steps) => {
        let truthUptime = new Map<number, number>();
        let published = snap(0, 0, []);
        let client = published;
        let takenAt = 1_000_000;
        steps.forEach((step, index) => {
          takenAt += step.seconds * 1000;
          const uptimes = new Map<number, number>();
          const guests = step.guests.map((entry) => {
            const up = entry.status === 'running' ? (entry.reboot ? 5 : (truthUptime.get(entry.vmid) ?? 0) + step.seconds) : undefined;
            if (up !== undefined) uptimes.set(entry.vmid, up);
            return guest(entry.vmid, { status: entry.status, name: entry.name, cpu: entry.cpu, mem: Math.round(entry.memFraction * 4 * GiB), uptime: up });
          });
          truthUptime = uptimes;
          // Both walks: ascending lists (PVE's mapped order) and unordered ones.
          if (step.sorted) guests.sort((a, b) => a.vmid - b.vmid);
          const truth = snap(index + 1, takenAt, guests);
          const delta = computeSnapshotDelta(published, truth);
          published = applySnapshotDelta(published, delta);
          client = applySnapshotDelta(client, SnapshotDeltaSchema.parse(JSON.parse(JSON.stringify(delta))));
          expect(client).toEqual(published);
          expect(published.guests.map((entry) => entry.vmid).sort()).toEqual(truth.guests.map((entry) => entry.vmid).sort());
          for (const real of truth.guests) {
            const shown = published.guests.find((entry) => entry.vmid === real.vmid)!;
            expect({ ...shown, cpu: 0, mem: 0, uptime: 0 }).toEqual({ ...real, cpu: 0, mem: 0, uptime: 0 });
            expect(shown.cpu === undefined).toBe(real.cpu === undefined);
            if (real.cpu !== undefined) expect(Math.abs(shown.cpu! - real.cpu)).toBeLessThan(DISPLAY_PRECISION.cpu + 1e-9);
            expect(Math.abs(shown.mem! - real.mem!)).toBeLessThan(0.1 * GiB + 1);
            if (real.uptime !== undefined) expect(Math.abs(shown.uptime! - real.uptime)).toBeLessThan(DISPLAY_PRECISION.uptimeSeconds);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
