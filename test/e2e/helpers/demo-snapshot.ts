import type { SnapshotDto } from '../../../src/protocol/index.ts';

const GiB = 1024 ** 3;

/**
 * The seed topology as the dashboard sees it, with the "unknown" cases the UI must show as "—":
 * a QEMU guest without agent (no disk), a stopped guest (no memory), a container with disk usage.
 */
export function demoSnapshot(takenAt: number, guestCount = 4): SnapshotDto {
  const node = (name: string, cpu: number) => ({
    name,
    status: 'online' as const,
    votes: 1,
    cpu,
    maxcpu: 8,
    mem: 6 * GiB,
    maxmem: 16 * GiB,
    disk: 20 * GiB,
    maxdisk: 100 * GiB,
    uptime: 86_400 * 3,
  });
  const extraGuests = (count: number) =>
    Array.from({ length: Math.max(0, count) }, (_, index) => ({
      vmid: 300 + index,
      type: 'qemu' as const,
      node: ['pve', 'agent', 'agent1'][index % 3]!,
      name: `vm-${300 + index}`,
      status: 'running',
      template: false,
      tags: [],
      cpu: 0.1,
      maxcpu: 2,
      mem: 1 * GiB,
      maxmem: 4 * GiB,
      maxdisk: 32 * GiB,
      uptime: 3_600,
    }));
  return {
    version: 1,
    takenAt,
    clusterName: 'homelab',
    quorum: { quorate: true, nodesTotal: 4, votesOnline: 4, votesTotal: 4, votesNeeded: 3 },
    nodes: [node('Home', 0.05), node('pve', 0.3), node('agent1', 0.45), node('agent', 0.2)],
    guests: [
      ...extraGuests(guestCount - 4),
      {
        vmid: 101,
        type: 'qemu',
        node: 'pve',
        name: 'web01',
        status: 'running',
        template: false,
        tags: [],
        cpu: 0.12,
        maxcpu: 2,
        mem: 1.5 * GiB,
        maxmem: 4 * GiB,
        maxdisk: 32 * GiB,
        uptime: 7_200,
      },
      { vmid: 102, type: 'qemu', node: 'pve', name: 'db01', status: 'stopped', template: false, tags: [], maxcpu: 2, maxmem: 8 * GiB, maxdisk: 64 * GiB },
      {
        vmid: 103,
        type: 'qemu',
        node: 'agent1',
        name: 'jarvis-mgmt',
        status: 'running',
        template: false,
        tags: ['protected'],
        cpu: 0.3,
        maxcpu: 4,
        mem: 3 * GiB,
        maxmem: 8 * GiB,
        maxdisk: 32 * GiB,
        uptime: 86_400,
      },
      {
        vmid: 200,
        type: 'lxc',
        node: 'agent',
        name: 'dns',
        status: 'running',
        template: false,
        tags: [],
        cpu: 0.01,
        maxcpu: 1,
        mem: 0.2 * GiB,
        maxmem: 0.5 * GiB,
        disk: 1 * GiB,
        maxdisk: 8 * GiB,
        uptime: 3_600,
      },
    ],
    storage: [
      {
        id: 'storage/pve/local',
        storage: 'local',
        node: 'pve',
        type: 'dir',
        status: 'available',
        shared: false,
        content: ['iso'],
        used: 40 * GiB,
        total: 100 * GiB,
      },
      {
        id: 'storage/agent1/local-lvm',
        storage: 'local-lvm',
        node: 'agent1',
        type: 'lvmthin',
        status: 'available',
        shared: false,
        content: ['images'],
        used: 120 * GiB,
        total: 400 * GiB,
      },
    ],
  };
}
