import { hashUnit, Prng } from '../prng.ts';
import { seedBackups, seedSnapshots, type SimBackup } from './guest-history.ts';
import { EXTRA_SERVICES, MANAGEMENT_CONTAINERS, NODE_SERVICES, SEED_GUESTS, SEED_NODES, type GuestSpec, type NodeSpec } from './seed-topology.ts';
import type { ContainerState, DockerHostState, GuestState, NodeState, ServiceState, StorageState } from './types.ts';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
/** A guest's steady working set, as a fraction of maxmem (metrics.ts bounds the band around it). */
const WORKING_SET_MIN = 0.25;
const WORKING_SET_MAX = 0.7;

/** Everything a fresh world holds. */
export interface WorldData {
  readonly clusterName: string;
  readonly nodes: NodeState[];
  readonly guests: GuestState[];
  readonly storages: StorageState[];
  readonly dockerHosts: DockerHostState[];
  /** vzdump archives on backup storages (guest-history.ts). */
  readonly backups: SimBackup[];
}

export interface BuildOptions {
  readonly nodes: number;
  readonly guests: number;
  /** Epoch ms the world is created at (boot times are in the past of it). */
  readonly nowMs: number;
}

function nodeSpecs(count: number, prng: Prng): NodeSpec[] {
  const specs = SEED_NODES.slice(0, Math.max(1, Math.min(count, SEED_NODES.length)));
  for (let i = specs.length + 1; i <= count; i++) {
    specs.push({
      name: `node${i}`,
      ip: `10.10.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      threads: prng.pick([16, 32, 48, 64]),
      memGiB: prng.pick([64, 128, 256]),
      rootGiB: 94,
      cpuModel: 'AMD EPYC 7302P 16-Core Processor',
    });
  }
  return specs;
}

function makeServices(node: string, bootTime: number, prng: Prng): ServiceState[] {
  const all: [string, string, boolean][] = NODE_SERVICES.map(([unit, description, pve]) => [unit, description, pve]);
  for (const [unit, description] of EXTRA_SERVICES[node] ?? []) all.push([unit, description, false]);
  return all.map(([unit, description, pve]) => ({
    unit,
    description,
    pve,
    activeState: 'active',
    subState: 'running',
    unitState: 'enabled',
    mainPid: prng.int(600, 4000),
    since: bootTime + prng.int(2, 30),
  }));
}

function makeNode(spec: NodeSpec, index: number, nowSec: number, prng: Prng): NodeState {
  const bootTime = nowSec - prng.int(3 * 86400, 40 * 86400);
  const memTotal = spec.memGiB * GiB - prng.int(200, 900) * MiB;
  const rootTotal = spec.rootGiB * GiB + prng.int(0, 1000) * MiB;
  const baseCpu = prng.range(0.02, 0.08);
  return {
    name: spec.name,
    nodeid: index + 1,
    ip: spec.ip,
    maxcpu: spec.threads,
    sockets: 1,
    cpuModel: spec.cpuModel,
    mhz: (prng.int(2100, 4400) + 0.123).toFixed(3),
    memTotal,
    swapTotal: 8 * GiB,
    rootTotal,
    bootTime,
    baseCpu,
    ownCpu: baseCpu,
    cpu: baseCpu,
    iowait: prng.range(0, 0.01),
    baseMem: Math.round(memTotal * prng.range(0.06, 0.1)),
    memUsed: 0,
    swapUsed: 0,
    rootUsed: Math.round(rootTotal * prng.range(0.1, 0.35)),
    netin: prng.int(1e9, 5e10),
    netout: prng.int(1e9, 5e10),
    load: [0.3, 0.3, 0.3],
    services: makeServices(spec.name, bootTime, prng),
    journal: [],
    interfaces: [
      { name: 'lo', state: 'UNKNOWN', addresses: ['127.0.0.1/8'] },
      { name: 'eno1', state: 'UP', mac: mac(prng), addresses: [] },
      { name: 'vmbr0', state: 'UP', mac: mac(prng), addresses: [`${spec.ip}/24`] },
    ],
    diskModel: prng.pick(['Samsung SSD 980 PRO 1TB', 'WDC WDS100T2B0C-00PXH0', 'CT1000P3SSD8']),
    nextPid: prng.int(100_000, 900_000),
    nextUid: 1,
  };
}

function mac(prng: Prng): string {
  return ['BC', '24', '11', prng.hex(2), prng.hex(2), prng.hex(2)].join(':').toUpperCase();
}

function uuid(prng: Prng): string {
  const h = prng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

function makeGuest(spec: GuestSpec, nowSec: number, prng: Prng): GuestState {
  const maxmem = spec.memMiB * MiB;
  const running = spec.running && !spec.template;
  const baseCpu = prng.range(0.005, 0.12);
  const guest: Omit<GuestState, 'baseMem'> = {
    vmid: spec.vmid,
    type: spec.type,
    node: spec.node,
    name: spec.name,
    status: running ? 'running' : 'stopped',
    template: spec.template ?? false,
    lock: spec.lock,
    tags: spec.tags,
    description: spec.description,
    cores: spec.cores,
    maxmem,
    balloon: spec.balloonMiB !== undefined ? spec.balloonMiB * MiB : undefined,
    maxdisk: spec.diskGiB * GiB,
    agent: spec.type === 'qemu' ? (spec.agent ?? false) : false,
    protection: spec.protection ?? false,
    onboot: running,
    ostype: spec.ostype ?? (spec.type === 'lxc' ? 'debian' : 'l26'),
    mac: mac(prng),
    uuid: uuid(prng),
    startedAt: running ? nowSec - prng.int(3600, 20 * 86400) : 0,
    pid: running ? prng.int(1000, 99_999) : undefined,
    baseCpu,
    cpu: running ? baseCpu : 0,
    mem: running ? Math.round(maxmem * prng.range(WORKING_SET_MIN, WORKING_SET_MAX)) : 0,
    disk: spec.type === 'lxc' ? Math.round(spec.diskGiB * GiB * prng.range(0.15, 0.6)) : 0,
    netin: running ? prng.int(1e6, 5e9) : 0,
    netout: running ? prng.int(1e6, 5e9) : 0,
    diskread: running ? prng.int(1e7, 5e9) : 0,
    diskwrite: running ? prng.int(1e7, 5e9) : 0,
  };
  // A running guest starts at its working set; a stopped one gets it from a hash of its seeded
  // uuid, so building draws no extra numbers and every other seeded figure stays as it was.
  const hashed = WORKING_SET_MIN + (WORKING_SET_MAX - WORKING_SET_MIN) * hashUnit(`${guest.uuid}/mem`);
  return { ...guest, baseMem: running ? guest.mem : Math.round(maxmem * hashed) };
}

function generatedGuestSpecs(count: number, nodeNames: string[], prng: Prng): GuestSpec[] {
  const roles = ['web', 'app', 'db', 'cache', 'worker', 'ci', 'mon', 'dns', 'proxy', 'batch'];
  const specs: GuestSpec[] = [];
  for (let i = 0; i < count; i++) {
    const type = prng.next() < 0.45 ? 'lxc' : 'qemu';
    const node = nodeNames[i % nodeNames.length]!;
    specs.push({
      vmid: 1000 + i,
      type,
      node,
      name: `${prng.pick(roles)}-${String(i).padStart(4, '0')}`,
      running: prng.next() < 0.8,
      cores: prng.pick([1, 1, 2, 2, 4]),
      memMiB: prng.pick([512, 1024, 2048, 4096]),
      diskGiB: prng.pick([8, 16, 32, 64]),
      agent: prng.next() < 0.6,
      ...(type === 'qemu' && prng.next() < 0.2 ? { balloonMiB: 512 } : {}),
    });
  }
  return specs;
}

function storagesFor(nodes: NodeState[], prng: Prng): StorageState[] {
  const out: StorageState[] = [];
  for (const node of nodes) {
    // `local` is a directory on the root fs: its figures follow the node's rootfs (see SimWorld).
    out.push({ storage: 'local', node: node.name, type: 'dir', content: 'iso,vztmpl,backup', shared: false, total: node.rootTotal, used: node.rootUsed });
    const total = prng.pick([464, 930, 1860]) * GiB;
    out.push({
      storage: 'local-lvm',
      node: node.name,
      type: 'lvmthin',
      content: 'images,rootdir',
      shared: false,
      total,
      used: Math.round(total * prng.range(0.2, 0.6)),
    });
  }
  const nasTotal = 7450 * GiB;
  out.push({ storage: 'nas', type: 'nfs', content: 'backup,iso,vztmpl', shared: true, total: nasTotal, used: Math.round(nasTotal * 0.46) });
  return out;
}

function dockerHosts(guests: GuestState[], nowSec: number, prng: Prng): DockerHostState[] {
  const management = guests.find((guest) => guest.vmid === 103);
  if (!management) return [];
  const containers: ContainerState[] = MANAGEMENT_CONTAINERS.map(([name, image, isProtected]) => {
    const startedAt = nowSec - prng.int(3600, 7 * 86400);
    return {
      id: prng.hex(64),
      name,
      image,
      state: 'running' as const,
      exitCode: 0,
      created: startedAt - prng.int(0, 30 * 86400),
      startedAt,
      restartCount: 0,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the test program (test/tsconfig.json) needs it to widen the union
      labels: (isProtected ? { 'jarvis.protected': 'true', 'com.docker.compose.project': 'jarvis' } : { 'com.docker.compose.project': 'homelab' }) as Record<
        string,
        string
      >,
      log: [`${name} started`],
    };
  });
  return [{ host: 'docker@103', vmid: 103, up: true, containers }];
}

/**
 * Builds the world: the seed topology first (trimmed or extended to `nodes`), the seed guests
 * (trimmed to `guests`), then generated guests spread round-robin over all nodes. Deterministic
 * for a given PRNG state.
 */
export function buildWorld(options: BuildOptions, prng: Prng): WorldData {
  const nowSec = Math.floor(options.nowMs / 1000);
  const nodes = nodeSpecs(options.nodes, prng).map((spec, index) => makeNode(spec, index, nowSec, prng));
  const names = nodes.map((node) => node.name);
  const seedGuests = SEED_GUESTS.slice(0, Math.min(options.guests, SEED_GUESTS.length)).map((spec) =>
    names.includes(spec.node) ? spec : { ...spec, node: names[spec.vmid % names.length]! },
  );
  const extra = generatedGuestSpecs(Math.max(0, options.guests - seedGuests.length), names, prng);
  const guests = [...seedGuests, ...extra].map((spec) => makeGuest(spec, nowSec, prng));
  const world = { clusterName: 'homelab', nodes, guests, storages: storagesFor(nodes, prng), dockerHosts: dockerHosts(guests, nowSec, prng) };
  // Snapshots and archives draw no PRNG numbers: every other seeded figure stays as it was.
  seedSnapshots(guests, nowSec);
  return { ...world, backups: seedBackups(guests, nowSec) };
}
