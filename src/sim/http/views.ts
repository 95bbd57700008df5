/**
 * PVE JSON shapes built from the world: resource entries, guest lists, status and config.
 * Optional fields are absent (never null) when PVE would not know them; booleans are 0/1.
 * @see reference pve-api.md §5.3, §5.6, §5.9, §5.10, §5.12, §6.3, §6.4
 */
import { createHash } from 'node:crypto';
import { backupVolid, type SimBackup } from '../world/guest-history.ts';
import type { SimWorld } from '../world/sim-world.ts';
import type { GuestState, NodeState, StorageState } from '../world/types.ts';

type Json = Record<string, unknown>;
const GiB = 2 ** 30;
const r = (value: number): number => Math.round(value * 1e6) / 1e6;

/** Seconds the guest has been up, frozen at the last broadcast when its node is offline. */
function uptimeOf(world: SimWorld, guest: GuestState): number {
  if (guest.status !== 'running') return 0;
  const now = world.offlineSince(guest.node) ?? world.nowSeconds();
  return Math.max(0, now - guest.startedAt);
}

/** A node entry of /cluster/resources and /nodes (§5.3, §6.3). */
export function nodeEntry(world: SimWorld, node: NodeState): Json {
  const entry: Json = { id: `node/${node.name}`, type: 'node', node: node.name };
  const freshness = world.freshness(node.name);
  if (freshness === 'gone') return { ...entry, status: 'offline' };
  if (freshness === 'silent') return { ...entry, status: 'unknown' };
  const statics = { maxcpu: node.maxcpu, maxmem: node.memTotal, maxdisk: node.rootTotal, level: '', 'cgroup-mode': 2 };
  if (freshness === 'stale') return { ...entry, status: 'offline', ...statics };
  return { ...entry, status: 'online', uptime: world.nowSeconds() - node.bootTime, cpu: r(node.cpu), mem: node.memUsed, disk: node.rootUsed, ...statics };
}

/** A guest entry of /cluster/resources (§5.3, §6.4). */
export function guestEntry(world: SimWorld, guest: GuestState): Json {
  const optional = { ...(guest.tags ? { tags: guest.tags } : {}), ...(guest.lock ? { lock: guest.lock } : {}) };
  const id = `${guest.type}/${guest.vmid}`;
  const freshness = world.freshness(guest.node);
  if (freshness === 'gone' || freshness === 'silent') return { id, vmid: guest.vmid, node: guest.node, type: guest.type, status: 'unknown', ...optional };
  const running = guest.status === 'running';
  return {
    id,
    type: guest.type,
    vmid: guest.vmid,
    node: guest.node,
    name: guest.name,
    status: guest.paused ? 'paused' : guest.status,
    uptime: uptimeOf(world, guest),
    cpu: running ? r(guest.cpu) : 0,
    maxcpu: guest.cores,
    mem: running ? guest.mem : 0,
    maxmem: guest.maxmem,
    disk: guest.type === 'qemu' ? 0 : guest.disk,
    maxdisk: guest.maxdisk,
    netin: guest.netin,
    netout: guest.netout,
    diskread: guest.diskread,
    diskwrite: guest.diskwrite,
    template: guest.template ? 1 : 0,
    ...optional,
  };
}

/** A storage entry of /cluster/resources (`node` is the node it is seen from). */
export function storageEntry(world: SimWorld, storage: StorageState, node: string): Json {
  const entry: Json = {
    id: `storage/${node}/${storage.storage}`,
    type: 'storage',
    storage: storage.storage,
    node,
    plugintype: storage.type,
    shared: storage.shared ? 1 : 0,
    content: storage.content,
  };
  const freshness = world.freshness(node);
  if (freshness === 'gone' || freshness === 'silent' || storage.active === false) return { ...entry, status: 'unknown' };
  return { ...entry, status: 'available', disk: storage.used, maxdisk: storage.total };
}

/** An entry of /nodes/{node}/qemu or /lxc (§5.9). */
export function guestListEntry(world: SimWorld, guest: GuestState): Json {
  const running = guest.status === 'running';
  const entry: Json = {
    vmid: guest.vmid,
    name: guest.name,
    status: guest.status,
    uptime: uptimeOf(world, guest),
    cpus: guest.cores,
    cpu: running ? r(guest.cpu) : 0,
    maxmem: guest.maxmem,
    mem: running ? guest.mem : 0,
    maxdisk: guest.maxdisk,
    disk: guest.type === 'qemu' ? 0 : guest.disk,
    netin: guest.netin,
    netout: guest.netout,
    diskread: guest.diskread,
    diskwrite: guest.diskwrite,
  };
  if (running && guest.pid !== undefined) entry.pid = guest.pid;
  if (guest.template) entry.template = 1;
  if (guest.lock) entry.lock = guest.lock;
  if (guest.tags) entry.tags = guest.tags;
  if (guest.type === 'lxc') Object.assign(entry, { type: 'lxc', maxswap: 512 * 2 ** 20, swap: 0 });
  return entry;
}

/** /nodes/{node}/{qemu|lxc}/{vmid}/status/current (§5.10). */
export function guestStatus(world: SimWorld, guest: GuestState): Json {
  const running = guest.status === 'running';
  const entry: Json = { ...guestListEntry(world, guest), ha: { managed: 0 } };
  if (guest.type === 'lxc') return entry;
  entry.qmpstatus = guest.paused ? 'paused' : guest.status;
  if (guest.agent) entry.agent = 1;
  if (running) {
    entry['running-machine'] = 'pc-q35-9.0+pve0';
    entry['running-qemu'] = '9.0.2';
    if (guest.balloon !== undefined) {
      entry.balloon = guest.maxmem;
      entry.ballooninfo = {
        actual: guest.maxmem,
        max_mem: guest.maxmem,
        ...(guest.agent ? { free_mem: guest.maxmem - guest.mem, total_mem: guest.maxmem } : {}),
      };
      if (guest.agent) entry.freemem = guest.maxmem - guest.mem;
    }
    entry.nics = { [`tap${guest.vmid}i0`]: { netin: guest.netin, netout: guest.netout } };
  }
  return entry;
}

/** /nodes/{node}/{qemu|lxc}/{vmid}/config (§5.12): qemu `memory` is a string. */
export function guestConfig(guest: GuestState): Json {
  const sizeG = `${Math.round(guest.maxdisk / GiB)}G`;
  const config: Json =
    guest.type === 'qemu'
      ? {
          name: guest.name,
          memory: String(guest.maxmem / 2 ** 20),
          cores: guest.cores,
          sockets: 1,
          cpu: 'x86-64-v2-AES',
          numa: 0,
          ostype: guest.ostype,
          boot: 'order=scsi0;net0',
          scsihw: 'virtio-scsi-single',
          scsi0: `local-lvm:vm-${guest.vmid}-disk-0,iothread=1,size=${sizeG}`,
          net0: `virtio=${guest.mac},bridge=vmbr0,firewall=1`,
          smbios1: `uuid=${guest.uuid}`,
          vmgenid: guest.uuid.split('').reverse().join(''),
          meta: 'creation-qemu=9.0.2,ctime=1730000000',
          ...(guest.balloon !== undefined ? { balloon: guest.balloon / 2 ** 20 } : {}),
          ...(guest.agent ? { agent: '1' } : {}),
        }
      : {
          arch: 'amd64',
          hostname: guest.name,
          memory: guest.maxmem / 2 ** 20,
          swap: 512,
          cores: guest.cores,
          ostype: guest.ostype,
          rootfs: `local-lvm:vm-${guest.vmid}-disk-0,size=${sizeG}`,
          unprivileged: 1,
          net0: `name=eth0,bridge=vmbr0,hwaddr=${guest.mac},ip=dhcp,type=veth`,
        };
  if (guest.onboot) config.onboot = 1;
  if (guest.protection) config.protection = 1;
  if (guest.template) config.template = 1;
  if (guest.tags) config.tags = guest.tags;
  if (guest.lock) config.lock = guest.lock;
  if (guest.description !== undefined) config.description = guest.description;
  if (guest.snapParent !== undefined) config.parent = guest.snapParent;
  config.digest = createHash('sha1').update(JSON.stringify(config)).digest('hex');
  return config;
}

/**
 * /nodes/{node}/{qemu|lxc}/{vmid}/snapshot: one entry per snapshot (name, description, snaptime,
 * parent when set, vmstate 0/1 on qemu) plus PVE's `current` pseudo-entry ("You are here!", the
 * config digest, running 0/1, parent = the snapshot the current state derives from).
 */
export function guestSnapshots(guest: GuestState): Json[] {
  const list: Json[] = (guest.snapshots ?? []).map((snapshot) => ({
    name: snapshot.name,
    description: snapshot.description,
    snaptime: snapshot.snaptime,
    ...(snapshot.parent !== undefined ? { parent: snapshot.parent } : {}),
    ...(guest.type === 'qemu' ? { vmstate: snapshot.vmstate ? 1 : 0 } : {}),
  }));
  const digest = String(guestConfig(guest).digest);
  list.push({
    name: 'current',
    description: 'You are here!',
    digest,
    running: guest.status === 'running' ? 1 : 0,
    ...(guest.snapParent !== undefined ? { parent: guest.snapParent } : {}),
  });
  return list;
}

/** /nodes/{node}/status (§5.7): loadavg and mhz are strings. */
export function nodeStatus(world: SimWorld, node: NodeState): Json {
  const memory = world.memory(node.name);
  return {
    uptime: world.uptimeSeconds(node.name),
    idle: 0,
    cpu: r(node.cpu),
    wait: r(node.iowait),
    loadavg: node.load.map((value) => value.toFixed(2)),
    memory: { total: memory.total, used: memory.used, free: memory.free, available: memory.available },
    swap: { total: node.swapTotal, used: node.swapUsed, free: node.swapTotal - node.swapUsed },
    ksm: { shared: 0 },
    rootfs: {
      total: node.rootTotal,
      used: node.rootUsed,
      free: node.rootTotal - node.rootUsed,
      avail: Math.max(0, Math.round(node.rootTotal * 0.95) - node.rootUsed),
    },
    cpuinfo: {
      model: node.cpuModel,
      sockets: node.sockets,
      cores: node.maxcpu / 2,
      cpus: node.maxcpu,
      mhz: node.mhz,
      user_hz: 100,
      hvm: '1',
      flags: 'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm svm',
    },
    kversion: 'Linux 6.8.12-4-pve #1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z)',
    'current-kernel': { sysname: 'Linux', release: '6.8.12-4-pve', version: '#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z)', machine: 'x86_64' },
    'boot-info': { mode: 'efi', secureboot: 0 },
    pveversion: `pve-manager/${PVE_VERSION.version}/${PVE_VERSION.repoid}`,
  };
}

export const PVE_VERSION = { version: '8.3.2', release: '8.3', repoid: '3e76eec21c4a14a7' } as const;

/** An entry of /nodes/{node}/storage/{storage}/content for a vzdump archive. */
export function backupContentEntry(backup: SimBackup): Json {
  return {
    volid: backupVolid(backup),
    content: 'backup',
    ctime: backup.ctime,
    format: backup.type === 'qemu' ? 'vma.zst' : 'tar.zst',
    size: backup.size,
    subtype: backup.type,
    vmid: backup.vmid,
    ...(backup.notes !== undefined ? { notes: backup.notes } : {}),
    ...(backup.protected ? { protected: 1 } : {}),
  };
}

/** /nodes/{node}/storage entry and /storage/{s}/status (§5.14). */
export function storageStatus(storage: StorageState, withId: boolean): Json {
  if (storage.active === false) {
    return {
      ...(withId ? { storage: storage.storage } : {}),
      type: storage.type,
      content: storage.content,
      enabled: 1,
      active: 0,
      shared: storage.shared ? 1 : 0,
      total: 0,
      used: 0,
      avail: 0,
    };
  }
  const avail = Math.max(0, storage.total - storage.used);
  const entry: Json = {
    ...(withId ? { storage: storage.storage } : {}),
    type: storage.type,
    content: storage.content,
    enabled: 1,
    active: 1,
    shared: storage.shared ? 1 : 0,
    total: storage.total,
    used: storage.used,
    avail,
  };
  if (withId && storage.total > 0) entry.used_fraction = r(storage.used / storage.total);
  return entry;
}
