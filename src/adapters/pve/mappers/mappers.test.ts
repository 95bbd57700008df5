import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clusterResourcesSchema, clusterStatusSchema } from '../schemas/cluster.ts';
import { guestListSchema, guestStatusSchema } from '../schemas/guest.ts';
import { bool01, num } from '../schemas/lenient.ts';
import { nodeStatusSchema, storageListSchema } from '../schemas/node.ts';
import { mapGuestListEntry } from './map-guest-list-entry.ts';
import { mapGuestStatus } from './map-guest-status.ts';
import { mapStorageStatus } from './map-storage-status.ts';
import { mapNodeStatus } from './map-node-status.ts';
import { mapClusterStatus } from './map-quorum.ts';
import { mapSnapshot } from './map-snapshot.ts';
import { mapTaskStatus } from './map-task-status.ts';

const fixture = (name: string): unknown =>
  (JSON.parse(readFileSync(new URL(`../__fixtures__/${name}.json`, import.meta.url), 'utf8')) as { data: unknown }).data;

describe('lenient decoders', () => {
  it('read numbers from numeric strings and booleans from 0/1', () => {
    expect(num.parse('3800.000')).toBe(3800);
    expect(num.safeParse('abc').success).toBe(false);
    expect([1, 0, '1', true, false].map((v) => bool01.parse(v))).toEqual([true, false, true, true, false]);
    expect(bool01.safeParse(2).success).toBe(false);
  });
});

describe('mapSnapshot (fixtures)', () => {
  const mapped = mapSnapshot(clusterStatusSchema.parse(fixture('cluster-status')), clusterResourcesSchema.parse(fixture('cluster-resources')));
  const snapshot = mapped.ok ? mapped.value : undefined;

  it('computes quorum from /cluster/status', () => {
    expect(snapshot?.quorum).toEqual({ quorate: true, nodesTotal: 4, votesOnline: 4, votesTotal: 4, votesNeeded: 3 });
    expect(snapshot?.clusterName).toBe('homelab');
  });

  it('maps guests with unknowns as undefined and ignores pool/sdn entries', () => {
    const byId = new Map(snapshot?.guests.map((g) => [g.vmid, g]));
    expect(byId.get(103)).toMatchObject({ node: 'agent1', status: 'running', disk: undefined, mem: 3221225472, tags: ['jarvis', 'mgmt'] });
    expect(byId.get(104)).toMatchObject({ status: 'stopped', mem: undefined, disk: undefined, cpu: 0 });
    expect(byId.get(101)).toMatchObject({ uptime: 3600, cpu: 0.12, hastate: 'started' });
    expect(byId.get(200)).toMatchObject({ type: 'lxc', disk: 1073741824 });
    expect(byId.get(201)).toMatchObject({ lock: 'backup', disk: undefined });
    expect(byId.get(9000)?.template).toBe(true);
    expect(snapshot?.guests.map((g) => g.vmid)).toEqual([101, 103, 104, 200, 201, 9000]);
  });

  it('merges node membership and metrics; storage without fresh data has no usage', () => {
    expect(snapshot?.nodes.find((n) => n.name === 'agent1')).toMatchObject({ nodeid: 3, ip: '192.0.2.61', votes: 1, status: 'online', cpu: 0.27 });
    expect(snapshot?.storage.find((s) => s.id === 'storage/pve/nas')).toMatchObject({ status: 'unknown', used: undefined, shared: true });
  });

  it('drops live metrics of an offline node but keeps its capacity', () => {
    const result = mapSnapshot([{ type: 'node', name: 'agent', online: false }], [{ type: 'node', node: 'agent', status: 'offline', cpu: 0.5, maxcpu: 8 }]);
    expect(result.ok && result.value.nodes[0]).toMatchObject({ status: 'offline', cpu: undefined, maxcpu: 8 });
    expect(result.ok && result.value.quorum).toMatchObject({ quorate: true, votesOnline: 0, votesTotal: 1 });
  });

  it('fails with PVE_BAD_RESPONSE naming the entry when a guest lacks its vmid', () => {
    const result = mapSnapshot([], [{ type: 'qemu', node: 'pve' }]);
    expect(result.ok ? undefined : result.error).toMatchObject({ code: 'PVE_BAD_RESPONSE' });
    expect(result.ok ? '' : result.error.message).toContain('[0]');
  });
});

describe('other mappers (fixtures)', () => {
  it('mapClusterStatus counts votes of online members and reads quorate=0', () => {
    const view = mapClusterStatus([
      { type: 'cluster', name: 'c', nodes: 4, quorate: false },
      { type: 'node', name: 'a', online: true },
      { type: 'node', name: 'b', online: false },
    ]);
    expect(view.quorum).toEqual({ quorate: false, nodesTotal: 4, votesOnline: 1, votesTotal: 4, votesNeeded: 3 });
  });

  it('mapNodeStatus decodes string load averages', () => {
    const status = mapNodeStatus('agent1', nodeStatusSchema.parse(fixture('node-status')));
    expect(status).toMatchObject({ loadavg: [1.12, 0.98, 0.91], cpus: 16, iowait: 0.0012, pveVersion: 'pve-manager/8.3.2/3e76eec21c4a14a7' });
  });

  it('mapGuestStatus: QEMU disk unknown, HA flag, agent', () => {
    const status = mapGuestStatus('agent1', 'qemu', guestStatusSchema.parse(fixture('qemu-status-current')));
    expect(status).toMatchObject({ vmid: 103, disk: undefined, haManaged: false, agent: true, qmpstatus: 'running' });
  });

  it('mapGuestListEntry: stopped guests have no memory figure; an empty list stays empty', () => {
    const [stopped, running] = guestListSchema.parse(fixture('qemu-list')).map((wire) => mapGuestListEntry('agent1', 'qemu', wire));
    expect(stopped).toMatchObject({ vmid: 104, status: 'stopped', mem: undefined, maxmem: 4294967296 });
    expect(running).toMatchObject({ vmid: 103, mem: 3221225472, tags: ['jarvis', 'mgmt'], template: false });
    expect(guestListSchema.parse(fixture('lxc-list'))).toEqual([]);
  });

  it('mapStorageStatus: inactive storage has no sizes', () => {
    const [, nas] = storageListSchema.parse(fixture('storage-list'));
    expect(mapStorageStatus('pve', 'nas-backup', nas!)).toMatchObject({ storage: 'nas-backup', active: false, enabled: true, shared: true, total: undefined });
  });

  it('mapTaskStatus: WARNINGS count as success, a missing exit status does not', () => {
    const base = { upid: 'UPID:a:1:1:1:t:1:u:', node: 'a', type: 't', user: 'u', starttime: 1 };
    expect(mapTaskStatus({ ...base, status: 'stopped', exitstatus: 'WARNINGS: 2' }).succeeded).toBe(true);
    expect(mapTaskStatus({ ...base, status: 'stopped' })).toMatchObject({ succeeded: false, exitstatus: 'unexpected status' });
    expect(mapTaskStatus({ ...base, status: 'running' }).succeeded).toBeUndefined();
  });
});
