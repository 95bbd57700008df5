/**
 * The seed homelab (DESIGN.md): four nodes and ~20 hand-picked guests that cover every case the
 * dashboard and the client must handle (stopped, locked, template, no guest agent, ballooning).
 */
import type { GuestKind } from './types.ts';

export interface NodeSpec {
  readonly name: string;
  readonly ip: string;
  readonly threads: number;
  readonly memGiB: number;
  readonly rootGiB: number;
  readonly cpuModel: string;
}

export const SEED_NODES: readonly NodeSpec[] = [
  { name: 'Home', ip: '192.168.1.50', threads: 8, memGiB: 16, rootGiB: 94, cpuModel: 'Intel(R) Core(TM) i5-8500T CPU @ 2.10GHz' },
  { name: 'pve', ip: '192.168.1.60', threads: 16, memGiB: 64, rootGiB: 94, cpuModel: 'AMD Ryzen 7 5700G with Radeon Graphics' },
  { name: 'agent1', ip: '192.168.1.61', threads: 16, memGiB: 64, rootGiB: 94, cpuModel: 'AMD Ryzen 7 5700G with Radeon Graphics' },
  { name: 'agent', ip: '192.168.1.62', threads: 12, memGiB: 32, rootGiB: 94, cpuModel: 'Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz' },
];

export interface GuestSpec {
  readonly vmid: number;
  readonly type: GuestKind;
  readonly node: string;
  readonly name: string;
  readonly running: boolean;
  readonly cores: number;
  readonly memMiB: number;
  readonly diskGiB: number;
  readonly balloonMiB?: number;
  readonly agent?: boolean;
  readonly lock?: string;
  readonly tags?: string;
  readonly template?: boolean;
  readonly protection?: boolean;
  readonly ostype?: string;
  readonly description?: string;
}

export const SEED_GUESTS: readonly GuestSpec[] = [
  {
    vmid: 100,
    type: 'qemu',
    node: 'pve',
    name: 'opnsense',
    running: true,
    cores: 2,
    memMiB: 4096,
    diskGiB: 32,
    agent: false,
    ostype: 'other',
    tags: 'network',
  },
  {
    vmid: 101,
    type: 'qemu',
    node: 'agent',
    name: 'media-server',
    running: true,
    cores: 4,
    memMiB: 8192,
    balloonMiB: 4096,
    diskGiB: 64,
    agent: true,
    tags: 'media',
  },
  { vmid: 102, type: 'qemu', node: 'pve', name: 'home-assistant', running: true, cores: 2, memMiB: 4096, diskGiB: 32, agent: true, tags: 'iot' },
  {
    vmid: 103,
    type: 'qemu',
    node: 'agent1',
    name: 'management',
    running: true,
    cores: 4,
    memMiB: 8192,
    diskGiB: 64,
    agent: true,
    tags: 'jarvis',
    protection: true,
    description: 'Management VM: runs Jarvis in Docker (docker@103).',
  },
  { vmid: 104, type: 'qemu', node: 'agent', name: 'windows-11', running: false, cores: 4, memMiB: 8192, diskGiB: 128, agent: false, ostype: 'win11' },
  { vmid: 105, type: 'qemu', node: 'pve', name: 'k3s-master', running: true, cores: 2, memMiB: 4096, balloonMiB: 2048, diskGiB: 32, agent: true, tags: 'k3s' },
  {
    vmid: 106,
    type: 'qemu',
    node: 'agent',
    name: 'k3s-worker-1',
    running: true,
    cores: 4,
    memMiB: 8192,
    balloonMiB: 4096,
    diskGiB: 64,
    agent: false,
    tags: 'k3s',
  },
  { vmid: 108, type: 'qemu', node: 'pve', name: 'nextcloud', running: true, cores: 2, memMiB: 4096, diskGiB: 256, agent: true, lock: 'backup' },
  { vmid: 109, type: 'qemu', node: 'agent1', name: 'gitlab', running: false, cores: 4, memMiB: 8192, diskGiB: 100, agent: true },
  { vmid: 110, type: 'qemu', node: 'pve', name: 'dev-sandbox', running: false, cores: 2, memMiB: 2048, diskGiB: 32, agent: false, tags: 'dev' },
  { vmid: 9000, type: 'qemu', node: 'agent1', name: 'debian-12-template', running: false, cores: 2, memMiB: 2048, diskGiB: 8, agent: true, template: true },
  { vmid: 200, type: 'lxc', node: 'pve', name: 'pihole', running: true, cores: 1, memMiB: 512, diskGiB: 8, tags: 'network' },
  { vmid: 201, type: 'lxc', node: 'agent', name: 'nginx', running: true, cores: 1, memMiB: 512, diskGiB: 8 },
  { vmid: 202, type: 'lxc', node: 'agent1', name: 'postgres', running: true, cores: 2, memMiB: 2048, diskGiB: 32, tags: 'db' },
  { vmid: 203, type: 'lxc', node: 'Home', name: 'unifi', running: true, cores: 1, memMiB: 1024, diskGiB: 8, tags: 'network' },
  { vmid: 204, type: 'lxc', node: 'agent', name: 'grafana', running: false, cores: 1, memMiB: 1024, diskGiB: 8, tags: 'monitoring' },
  { vmid: 205, type: 'lxc', node: 'pve', name: 'influxdb', running: true, cores: 2, memMiB: 2048, diskGiB: 32, tags: 'monitoring' },
  { vmid: 206, type: 'lxc', node: 'agent1', name: 'redis', running: true, cores: 1, memMiB: 1024, diskGiB: 8, tags: 'db' },
  { vmid: 207, type: 'lxc', node: 'agent', name: 'test-ct', running: false, cores: 1, memMiB: 512, diskGiB: 8 },
  { vmid: 208, type: 'lxc', node: 'Home', name: 'wireguard', running: true, cores: 1, memMiB: 256, diskGiB: 4, tags: 'network' },
];

/** Systemd units on every node: [unit, description, listed by PVE's services endpoint]. */
export const NODE_SERVICES: readonly (readonly [string, string, boolean])[] = [
  ['pveproxy', 'PVE API Proxy Server', true],
  ['pvedaemon', 'PVE API Daemon', true],
  ['pvestatd', 'PVE Status Daemon', true],
  ['pve-cluster', 'The Proxmox VE cluster filesystem', true],
  ['corosync', 'Corosync Cluster Engine', true],
  ['pve-firewall', 'Proxmox VE firewall', true],
  ['pve-ha-crm', 'PVE Cluster HA Resource Manager Daemon', true],
  ['pve-ha-lrm', 'PVE Local HA Resource Manager Daemon', true],
  ['pvescheduler', 'Proxmox VE scheduler', true],
  ['pve-lxc-syscalld', 'Proxmox VE LXC Syscall Daemon', true],
  ['qmeventd', 'PVE Qemu Event Daemon', true],
  ['spiceproxy', 'PVE SPICE Proxy Server', true],
  ['lxcfs', 'FUSE filesystem for LXC', true],
  ['ksmtuned', 'Kernel Samepage Merging (KSM) Tuning Daemon', true],
  ['chrony', 'chrony, an NTP client/server', true],
  ['sshd', 'OpenBSD Secure Shell server', true],
  ['cron', 'Regular background program processing daemon', true],
  ['postfix', 'Postfix Mail Transport Agent', true],
  ['systemd-journald', 'Journal Service', true],
];

/** Extra units on particular seed nodes (not in PVE's service enum). */
export const EXTRA_SERVICES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  agent1: [['llama-server', 'llama.cpp server (Qwen2.5 7B Instruct Q4_K_M)']],
  Home: [['jarvis-watchdog', 'Jarvis external watchdog']],
};

/** Containers of the Docker host on the management VM: [name, image, protected]. */
export const MANAGEMENT_CONTAINERS: readonly (readonly [string, string, boolean])[] = [
  ['jarvis', 'ghcr.io/jarvis/jarvis:latest', true],
  ['uptime-kuma', 'louislam/uptime-kuma:1', false],
  ['nginx-proxy', 'jc21/nginx-proxy-manager:latest', false],
  ['homepage', 'ghcr.io/gethomepage/homepage:latest', false],
];
