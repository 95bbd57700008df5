import type { SimCommand } from '../sim-command.ts';
import { stdout } from '../sim-command.ts';
import { clock } from './format.ts';

/** Kernel and manager versions the simulated nodes report. */
export const SIM_PVE_VERSION = 'pve-manager/8.3.0/c1689ccb1065a83b (running kernel: 6.8.12-4-pve)';

const DF_FLAGS = ['-P', '-B1', '-x', 'tmpfs', '-x', 'devtmpfs'];

/** df, free, /proc/loadavg, uptime, ps, ip, pveversion and zpool, answered from the host view. */
export const systemInfoCommands: readonly SimCommand[] = [
  {
    pattern: ['df', ...DF_FLAGS],
    answer(view, node) {
      const rows = [['Filesystem', '1-blocks', 'Used', 'Available', 'Capacity']];
      const mounts = ['Mounted on'];
      for (const disk of view.disks(node)) {
        const available = Math.max(0, disk.sizeBytes - disk.usedBytes);
        const capacity = disk.sizeBytes === 0 ? 0 : Math.ceil((disk.usedBytes / disk.sizeBytes) * 100);
        rows.push([disk.filesystem, String(disk.sizeBytes), String(disk.usedBytes), String(available), `${capacity}%`]);
        mounts.push(disk.mount);
      }
      const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
      const lines = rows.map((row, index) =>
        [...row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))), mounts[index]].join(' '),
      );
      return stdout(lines.map((line) => `${line}\n`).join(''));
    },
  },
  {
    pattern: ['free', '-b'],
    answer(view, node) {
      const memory = view.memory(node);
      const cache = Math.max(0, memory.total - memory.used - memory.free);
      const shared = Math.floor(memory.total * 0.004);
      const columns = ['total', 'used', 'free', 'shared', 'buff/cache', 'available'];
      const mem = [memory.total, memory.used, memory.free, shared, cache, memory.available].map(String);
      const swap = [memory.swapTotal, memory.swapUsed, memory.swapTotal - memory.swapUsed].map(String);
      const width = 12;
      const line = (label: string, cells: string[]) => `${label.padEnd(7)}${cells.map((cell) => cell.padStart(width)).join('')}\n`;
      return stdout(line('', columns) + line('Mem:', mem) + line('Swap:', swap));
    },
  },
  {
    pattern: ['cat', '/proc/loadavg'],
    answer(view, node) {
      const [one, five, fifteen] = view.loadAverage(node);
      const running = Math.max(1, Math.round(one));
      return stdout(
        `${one.toFixed(2)} ${five.toFixed(2)} ${fifteen.toFixed(2)} ${running}/${300 + view.services(node).length} ${40000 + (Math.floor(view.now() / 1000) % 9000)}\n`,
      );
    },
  },
  {
    pattern: ['uptime'],
    answer(view, node) {
      const [one, five, fifteen] = view.loadAverage(node);
      const seconds = view.uptimeSeconds(node);
      const days = Math.floor(seconds / 86400);
      const hours = Math.floor((seconds % 86400) / 3600);
      const minutes = Math.floor((seconds % 3600) / 60);
      const hm = hours === 0 ? `${minutes} min` : `${hours}:${String(minutes).padStart(2, '0')}`;
      const up = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hm.padStart(5)}` : hm;
      const load = [one, five, fifteen].map((value) => value.toFixed(2)).join(', ');
      return stdout(` ${clock(new Date(view.now()))} up ${up},  1 user,  load average: ${load}\n`);
    },
  },
  {
    pattern: ['ps', '-eo', 'pid,comm,pcpu,pmem', '--sort=-pcpu', '--no-headers'],
    answer(view, node) {
      const [one] = view.loadAverage(node);
      const processes = [
        { pid: 1, comm: 'systemd', cpu: 0.0, mem: 0.1 },
        ...view
          .services(node)
          .filter((service) => service.subState === 'running' && service.mainPid !== undefined)
          .map((service) => ({
            pid: service.mainPid!,
            comm: service.unit.slice(0, 15),
            cpu: weight(service.unit) * Math.min(one, 4),
            mem: weight(service.unit + 'm') * 2,
          })),
      ].sort((a, b) => b.cpu - a.cpu || a.pid - b.pid);
      const lines = processes.map(
        (process) =>
          `${String(process.pid).padStart(7)} ${process.comm.padEnd(15)} ${process.cpu.toFixed(1).padStart(4)} ${process.mem.toFixed(1).padStart(4)}\n`,
      );
      return stdout(lines.join(''));
    },
  },
  {
    pattern: ['ip', '-brief', 'addr'],
    answer(view, node) {
      const lines = view.interfaces(node).map((iface) => `${iface.name.padEnd(16)} ${iface.state.padEnd(14)} ${iface.addresses.join(' ')} `.trimEnd() + '\n');
      return stdout(lines.join(''));
    },
  },
  { pattern: ['pveversion'], answer: () => stdout(`${SIM_PVE_VERSION}\n`) },
  {
    pattern: ['zpool', 'status', '-x'],
    answer(view, node) {
      // ZFS datasets look like `rpool/ROOT/pve-1`; devices start with `/`, NFS exports hold `host:`.
      const pools = view.disks(node).filter((disk) => /^[A-Za-z][\w.-]*\/\S*$/.test(disk.filesystem) && !disk.filesystem.includes(':'));
      return pools.length > 0 ? stdout('all pools are healthy\n') : stdout('no pools available\n');
    },
  },
];

/** A stable pseudo-random share in [0, 1) derived from a name, so output is deterministic. */
function weight(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return (hash % 1000) / 1000;
}
