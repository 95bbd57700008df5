/** The seed topology as the offline parser sees it (names from the simulator's default world). */
import type { OfflineWorld } from '../../src/core/agent/offline/index.ts';

export const SEED_WORLD: OfflineWorld = {
  nodes: [{ name: 'Home' }, { name: 'pve' }, { name: 'agent1' }, { name: 'agent' }],
  guests: [
    { vmid: 100, type: 'qemu', node: 'pve', name: 'opnsense' },
    { vmid: 101, type: 'qemu', node: 'agent', name: 'media-server' },
    { vmid: 102, type: 'qemu', node: 'pve', name: 'home-assistant' },
    { vmid: 103, type: 'qemu', node: 'agent1', name: 'management' },
    { vmid: 104, type: 'qemu', node: 'agent', name: 'windows-11' },
    { vmid: 105, type: 'qemu', node: 'pve', name: 'k3s-master' },
    { vmid: 106, type: 'qemu', node: 'agent', name: 'k3s-worker-1' },
    { vmid: 108, type: 'qemu', node: 'pve', name: 'nextcloud' },
    { vmid: 109, type: 'qemu', node: 'agent1', name: 'gitlab' },
    { vmid: 110, type: 'qemu', node: 'pve', name: 'dev-sandbox' },
    { vmid: 200, type: 'lxc', node: 'pve', name: 'pihole' },
    { vmid: 201, type: 'lxc', node: 'agent', name: 'nginx' },
    { vmid: 202, type: 'lxc', node: 'agent1', name: 'postgres' },
    { vmid: 203, type: 'lxc', node: 'Home', name: 'unifi' },
    { vmid: 204, type: 'lxc', node: 'agent', name: 'grafana' },
    { vmid: 205, type: 'lxc', node: 'pve', name: 'influxdb' },
    { vmid: 206, type: 'lxc', node: 'agent1', name: 'redis' },
    { vmid: 207, type: 'lxc', node: 'agent', name: 'test-ct' },
    { vmid: 208, type: 'lxc', node: 'Home', name: 'wireguard' },
  ],
  containers: ['jarvis', 'uptime-kuma', 'nginx-proxy', 'homepage'],
  pendingTickets: [{ id: '3f2a9c1e-1111-4a2b-9c3d-000000000001' }, { id: '7b4d0e2f-2222-4a2b-9c3d-000000000002' }],
};
