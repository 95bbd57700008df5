/**
 * One metrics step (pvestatd-like): noise around a per-entity base, slow mean reversion, bounded
 * CPU and memory, monotonic network and disk counters. Draws random numbers in a fixed order
 * (nodes, then guests, then storages) so the sequence depends only on the seed and the faults.
 */
import type { Prng } from '../prng.ts';
import type { GuestState, NodeState, StorageState } from './types.ts';

export interface TickContext {
  readonly prng: Prng;
  /** Simulated seconds this step covers. */
  readonly dtSec: number;
  /** True when the node broadcasts (online); offline nodes keep their last values. */
  readonly isOnline: (node: string) => boolean;
  readonly runawayNodes: ReadonlySet<string>;
  readonly runawayGuests: ReadonlySet<number>;
  readonly memoryNodes: ReadonlySet<string>;
  readonly memoryGuests: ReadonlySet<number>;
  /** node name -> fraction of the free space filled per step, for root fs fills. */
  readonly rootFills: ReadonlyMap<string, number>;
  /** storage key (`<node>/<storage>` or `/<storage>` for shared) -> fraction per step. */
  readonly storageFills: ReadonlyMap<string, number>;
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/**
 * Guest memory is an AR(1) process around the guest's steady working set (`baseMem`): each step
 * closes MEM_REVERSION of the gap and adds noise of at most MEM_NOISE x maxmem. Once settled, its
 * distance from the base therefore never exceeds MEM_NOISE / MEM_REVERSION = 10 % of maxmem
 * (typically ~1.3 %), and a larger gap (a fresh start at 30 %, a cleared memory-pressure fault)
 * shrinks geometrically. With a base of at most 70 % (build-world.ts) a calm guest stays at or
 * below 80 %, clearly under the monitor's pressure thresholds, with no clamp placed near them:
 * pressure comes from faults only.
 */
const MEM_REVERSION = 0.1;
const MEM_NOISE = 0.01;

function stepGuest(guest: GuestState, context: TickContext): void {
  const { prng, dtSec } = context;
  if (guest.paused) {
    guest.cpu = 0;
    return;
  }
  if (context.runawayGuests.has(guest.vmid)) guest.cpu = 0.96 + 0.04 * prng.next();
  else guest.cpu = clamp(guest.cpu + (guest.baseCpu - guest.cpu) * 0.2 + prng.noise() * 0.02, 0.001, 1);
  if (context.memoryGuests.has(guest.vmid)) guest.mem = Math.round(guest.maxmem * (0.97 + 0.02 * prng.next()));
  else {
    const next = guest.mem + (guest.baseMem - guest.mem) * MEM_REVERSION + prng.noise() * guest.maxmem * MEM_NOISE;
    guest.mem = Math.round(clamp(next, 0, guest.maxmem));
  }
  guest.netin += Math.round(prng.range(2_000, 60_000) * dtSec);
  guest.netout += Math.round(prng.range(1_000, 30_000) * dtSec);
  guest.diskread += Math.round(prng.range(0, 200_000) * dtSec);
  guest.diskwrite += Math.round(prng.range(0, 150_000) * dtSec);
  if (guest.type === 'lxc') guest.disk = Math.min(guest.maxdisk, guest.disk + Math.round(prng.range(0, 2_000) * dtSec));
}

function stepNode(node: NodeState, guestCpu: number, guestMem: number, context: TickContext): void {
  const { prng, dtSec } = context;
  node.ownCpu = clamp(node.ownCpu + (node.baseCpu - node.ownCpu) * 0.1 + prng.noise() * 0.01, 0.005, 0.5);
  node.cpu = context.runawayNodes.has(node.name) ? 0.97 + 0.03 * prng.next() : clamp(node.ownCpu + guestCpu / node.maxcpu, 0.001, 0.99);
  node.iowait = clamp(node.iowait + prng.noise() * 0.002, 0, 0.2);
  if (context.memoryNodes.has(node.name)) {
    node.memUsed = Math.round(node.memTotal * (0.95 + 0.02 * prng.next()));
    node.swapUsed = Math.min(Math.round(node.swapTotal * 0.6), node.swapUsed + Math.round(node.swapTotal * 0.05));
  } else {
    node.memUsed = Math.round(clamp(node.baseMem + guestMem + prng.noise() * node.memTotal * 0.002, 0, node.memTotal * 0.97));
  }
  const instant = node.cpu * node.maxcpu;
  node.load = [
    clamp(node.load[0] + (instant - node.load[0]) * 0.3, 0, 999),
    clamp(node.load[1] + (instant - node.load[1]) * 0.08, 0, 999),
    clamp(node.load[2] + (instant - node.load[2]) * 0.03, 0, 999),
  ];
  node.netin += Math.round(prng.range(5_000, 200_000) * dtSec);
  node.netout += Math.round(prng.range(5_000, 150_000) * dtSec);
  const fill = context.rootFills.get(node.name);
  if (fill !== undefined)
    node.rootUsed = Math.min(Math.round(node.rootTotal * 0.999), Math.round(node.rootUsed + (node.rootTotal - node.rootUsed) * fill + node.rootTotal * 0.001));
  else node.rootUsed = Math.min(node.rootTotal, node.rootUsed + Math.round(prng.range(0, 2_000) * dtSec));
}

/** Advances every online node and running guest by one step. */
export function tickMetrics(nodes: NodeState[], guests: GuestState[], storages: StorageState[], context: TickContext): void {
  const cpuByNode = new Map<string, number>();
  const memByNode = new Map<string, number>();
  for (const guest of guests) {
    if (guest.status !== 'running' || !context.isOnline(guest.node)) continue;
    stepGuest(guest, context);
    cpuByNode.set(guest.node, (cpuByNode.get(guest.node) ?? 0) + guest.cpu * guest.cores);
    memByNode.set(guest.node, (memByNode.get(guest.node) ?? 0) + guest.mem);
  }
  for (const node of nodes) {
    if (!context.isOnline(node.name)) continue;
    stepNode(node, cpuByNode.get(node.name) ?? 0, memByNode.get(node.name) ?? 0, context);
  }
  for (const storage of storages) {
    if (storage.storage === 'local') continue;
    const fill = context.storageFills.get(`${storage.node ?? ''}/${storage.storage}`);
    if (fill !== undefined)
      storage.used = Math.min(Math.round(storage.total * 0.999), Math.round(storage.used + (storage.total - storage.used) * fill + storage.total * 0.001));
  }
}

/** Initial node figures consistent with the guests (called once after building the world). */
export function settleNodeTotals(nodes: NodeState[], guests: GuestState[]): void {
  for (const node of nodes) {
    const running = guests.filter((guest) => guest.node === node.name && guest.status === 'running');
    const guestCpu = running.reduce((sum, guest) => sum + guest.cpu * guest.cores, 0);
    node.cpu = clamp(node.ownCpu + guestCpu / node.maxcpu, 0.001, 0.99);
    node.memUsed = Math.round(clamp(node.baseMem + running.reduce((sum, guest) => sum + guest.mem, 0), 0, node.memTotal * 0.97));
    const load = node.cpu * node.maxcpu;
    node.load = [load, load, load];
  }
}
