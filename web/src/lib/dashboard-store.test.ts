import { describe, expect, it } from 'vitest';
import type { ServerFrame, SnapshotDto, StateDto } from '../../../src/protocol/index.ts';
import { DashboardStore, MAX_EVENTS } from './dashboard-store.ts';

const snapshot = (version: number, takenAt: number, pveStatus: 'online' | 'offline' = 'online'): SnapshotDto => ({
  version,
  takenAt,
  quorum: { quorate: true, nodesTotal: 2, votesOnline: 2, votesTotal: 2, votesNeeded: 2 },
  nodes: [pveStatus === 'online' ? { name: 'pve', status: 'online', votes: 1, cpu: 0.5, mem: 1, maxmem: 4 } : { name: 'pve', status: 'offline', votes: 1 }],
  guests: [{ vmid: 101, type: 'qemu', node: 'pve', name: 'web', status: 'stopped', template: false, tags: [] }],
  storage: [],
});

const state = (snap: SnapshotDto | null, seq = 5): StateDto => ({
  serverTime: 10_000,
  seq,
  snapshot: snap,
  data: { fresh: true },
  freeze: { frozen: false },
  settings: { aiEnabled: true },
  approvalsPending: 0,
  user: { name: 'admin', role: 'admin' },
});

describe('DashboardStore', () => {
  it('applies deltas to the snapshot and notifies once per batch', () => {
    const store = new DashboardStore();
    let calls = 0;
    store.subscribe(() => (calls += 1));
    store.applyState(state(snapshot(1, 1_000)), 10_000);
    const delta: ServerFrame = {
      type: 'delta',
      seq: 6,
      ts: 12_000,
      payload: {
        fromVersion: 1,
        version: 2,
        takenAt: 11_000,
        upsert: { nodes: [], guests: [], storage: [] },
        remove: { nodes: [], guests: [101], storage: [] },
      },
    };
    store.applyFrames([delta, { type: 'heartbeat', seq: 7, ts: 13_000, payload: {} }]);
    expect(calls).toBe(2);
    expect(store.getState().snapshot?.version).toBe(2);
    expect(store.getState().snapshot?.guests).toEqual([]);
    expect(store.getState().lastServerTs).toBe(13_000);
  });

  it('keeps last-known data of a node that went offline, with the time it was read', () => {
    const store = new DashboardStore();
    store.applyState(state(snapshot(1, 1_000)), 0);
    store.applyState(state(snapshot(2, 2_000, 'offline')), 0);
    const known = store.getState().lastKnownNodes.get('pve');
    expect(known?.takenAt).toBe(1_000);
    expect(known?.node.cpu).toBe(0.5);
    expect(store.getState().snapshot?.nodes[0]?.cpu).toBeUndefined();
  });

  it('never treats a guest on an offline node as live: last-known figures kept, chart gap', () => {
    const store = new DashboardStore();
    const running = (snap: SnapshotDto, cpu: number): SnapshotDto => ({
      ...snap,
      guests: [{ vmid: 101, type: 'qemu', node: 'pve', name: 'web', status: 'running', template: false, tags: [], cpu, mem: 1, maxmem: 4 }],
    });
    store.applyState(state(running(snapshot(1, 1_000), 0.25)), 0);
    store.applyState(state(running(snapshot(2, 2_000, 'offline'), 0.9)), 0);
    const known = store.getState().lastKnownGuests.get(101);
    expect(known?.takenAt).toBe(1_000);
    expect(known?.guest.cpu).toBe(0.25);
    expect(Number.isNaN(store.metrics.get('guest:101')!.cpu.last()!)).toBe(true);
    store.applyState(state(running(snapshot(3, 3_000), 0.5)), 0);
    expect(store.getState().lastKnownGuests.get(101)?.takenAt).toBe(3_000);
    expect(store.metrics.get('guest:101')!.cpu.last()).toBe(0.5);
  });

  it('records unknown guest memory as a chart gap', () => {
    const store = new DashboardStore();
    store.applyState(state(snapshot(1, 1_000)), 0);
    expect(Number.isNaN(store.metrics.get('guest:101')!.mem.last()!)).toBe(true);
  });

  it('bounds the events feed', () => {
    const store = new DashboardStore();
    const frames: ServerFrame[] = [];
    for (let id = 1; id <= MAX_EVENTS + 50; id += 1) {
      frames.push({ type: 'event', seq: id, ts: id, payload: { id, at: id, type: 'guest-started', severity: 'info', source: 'cluster', summary: `e${id}` } });
    }
    store.applyFrames(frames);
    expect(store.getState().events).toHaveLength(MAX_EVENTS);
    expect(store.getState().events[0]?.id).toBe(MAX_EVENTS + 50);
  });

  it('reset drops every buffer', () => {
    const store = new DashboardStore();
    store.applyState(state(snapshot(1, 1_000)), 0);
    store.reset();
    expect(store.metrics.size).toBe(0);
    expect(store.getState().snapshot).toBeNull();
  });
});
