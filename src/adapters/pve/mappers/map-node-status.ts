import type { NodeStatusDetail } from '../../../core/ports/cluster.ts';
import type { NodeStatusWire } from '../schemas/node.ts';

/**
 * Live node status (read from /proc by PVE). `loadavg` arrives as strings and is decoded upstream.
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/status
 */
export function mapNodeStatus(node: string, wire: NodeStatusWire): NodeStatusDetail {
  const [one, five, fifteen] = wire.loadavg as [number, number, number];
  return {
    node,
    uptime: wire.uptime,
    cpu: wire.cpu,
    iowait: wire.wait ?? undefined,
    loadavg: [one, five, fifteen],
    memory: { total: wire.memory.total, used: wire.memory.used, free: wire.memory.free, available: wire.memory.available ?? undefined },
    swap: wire.swap ?? undefined,
    rootfs: wire.rootfs,
    cpuModel: wire.cpuinfo?.model ?? undefined,
    cpus: wire.cpuinfo?.cpus ?? undefined,
    kernel: wire.kversion ?? undefined,
    pveVersion: wire.pveversion ?? undefined,
  };
}
