/**
 * The simulated cluster's state and behaviour: topology, metrics, tasks, faults, logs. One
 * instance backs the PVE HTTPS server, the admin API and (through SimHostView) the simulated SSH
 * and Docker servers, so every protocol tells the same story.
 */
import type { SimContainer, SimDisk, SimHostView, SimInterface, SimJournalEntry, SimMemory, SimService } from '../host-view.ts';
import { Prng } from '../prng.ts';
import { buildWorld } from './build-world.ts';
import { containerAction, containerLogs, containerView } from './docker-ops.ts';
import { ONE_SHOT_KINDS, pathMatches, type ActiveFault, type Fault } from './faults.ts';
import { appendJournal, bootJournal, recentJournal } from './journal.ts';
import { settleNodeTotals, tickMetrics } from './metrics.ts';
import { TaskEngine } from './task-engine.ts';
import type { ClusterLogEntry, DockerHostState, GuestState, NodeState, StorageState } from './types.ts';

export interface SimWorldOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly guests: number;
  readonly taskDurationMs: number;
  readonly staleHorizonMs: number;
  /** Simulated seconds one metrics tick covers. */
  readonly tickSeconds: number;
  /** Epoch ms source; defaults to Date.now. Inject a fixed clock for deterministic tests. */
  readonly clock?: () => number;
}

/** How fresh PVE's broadcast data for a node is. */
export type Freshness = 'fresh' | 'stale' | 'gone';

/** What the HTTP layer must do to a request because of active faults. */
export interface HttpFaultEffect {
  readonly latencyMs: number;
  readonly hang: boolean;
  readonly malformed: boolean;
  readonly error?: { readonly status: number; readonly message: string } | undefined;
}

export class SimWorld implements SimHostView {
  readonly clusterName: string;
  readonly options: SimWorldOptions;
  readonly tasks: TaskEngine;
  readonly clusterLog: ClusterLogEntry[] = [];
  private readonly prng: Prng;
  private readonly clock: () => number;
  private readonly nodeList: NodeState[];
  private readonly nodeMap = new Map<string, NodeState>();
  private readonly guestList: GuestState[];
  private readonly guestMap = new Map<number, GuestState>();
  private readonly storageList: StorageState[];
  private readonly dockerList: DockerHostState[];
  private active: ActiveFault[] = [];
  private nextFaultId = 1;
  private tickCount = 0;

  constructor(options: SimWorldOptions) {
    this.options = options;
    this.clock = options.clock ?? Date.now;
    this.prng = new Prng(options.seed);
    const data = buildWorld({ nodes: options.nodes, guests: options.guests, nowMs: this.clock() }, this.prng);
    this.clusterName = data.clusterName;
    this.nodeList = data.nodes;
    this.guestList = data.guests;
    this.storageList = data.storages;
    this.dockerList = data.dockerHosts;
    for (const node of this.nodeList) this.nodeMap.set(node.name, node);
    for (const guest of this.guestList) this.guestMap.set(guest.vmid, guest);
    settleNodeTotals(this.nodeList, this.guestList);
    const nowSec = Math.floor(this.clock() / 1000);
    for (const node of this.nodeList) {
      bootJournal(node);
      recentJournal(node, nowSec, this.prng);
    }
    this.tasks = new TaskEngine(this.clusterLog);
    this.startRunningBackups();
    for (const node of this.nodeList) node.journal.sort((a, b) => a.time - b.time);
  }

  /** Guests locked for backup have a vzdump task running (started 20 minutes ago, ~6 h long). */
  private startRunningBackups(): void {
    const startedMs = this.clock() - 20 * 60_000;
    for (const guest of this.guestList.filter((entry) => entry.lock === 'backup' && entry.status === 'running')) {
      const node = this.nodeMap.get(guest.node);
      if (!node) continue;
      this.tasks.start(
        {
          node, type: 'vzdump', id: String(guest.vmid), user: 'root@pam', durationMs: 6 * 3600_000,
          logLines: [
            `INFO: starting new backup job: vzdump ${guest.vmid} --storage nas --mode snapshot --compress zstd`,
            `INFO: Starting Backup of VM ${guest.vmid} (${guest.type})`,
            `INFO: Backup started at ${new Date(startedMs).toISOString().replace('T', ' ').slice(0, 19)}`,
          ],
          onEnd: () => {
            if (guest.lock === 'backup') guest.lock = undefined;
          },
        },
        startedMs,
      );
    }
  }

  // ---- clock, ticks, settling -------------------------------------------------------------

  /** Simulated clock, epoch milliseconds (also ends due tasks). */
  now(): number {
    const now = this.clock();
    this.tasks.settle(now, (name) => this.nodeMap.get(name));
    return now;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Number of metric steps taken so far. */
  ticks(): number {
    return this.tickCount;
  }

  /** Advances metrics by `count` steps (the server calls this every metricsIntervalMs). */
  tick(count = 1): void {
    this.now();
    for (let i = 0; i < count; i++) {
      const runawayNodes = new Set<string>();
      const runawayGuests = new Set<number>();
      const rootFills = new Map<string, number>();
      const storageFills = new Map<string, number>();
      for (const { fault } of this.active) {
        if (fault.kind === 'cpu-runaway') {
          if (fault.vmid !== undefined) runawayGuests.add(fault.vmid);
          else if (fault.node !== undefined) runawayNodes.add(fault.node);
        }
        if (fault.kind === 'disk-fill') {
          const step = fault.stepFraction ?? 0.1;
          if (fault.storage === undefined || fault.storage === 'local') rootFills.set(fault.node, step);
          else storageFills.set(this.storageKey(fault.node, fault.storage), step);
        }
      }
      tickMetrics(this.nodeList, this.guestList, this.storageList, {
        prng: this.prng, dtSec: this.options.tickSeconds, isOnline: (name) => this.isNodeOnline(name), runawayNodes, runawayGuests, rootFills, storageFills,
      });
      this.tickCount++;
    }
  }

  // ---- reads ----------------------------------------------------------------------------

  nodes(): readonly NodeState[] {
    return this.nodeList;
  }

  node(name: string): NodeState | undefined {
    return this.nodeMap.get(name);
  }

  guests(): readonly GuestState[] {
    return this.guestList;
  }

  guest(vmid: number): GuestState | undefined {
    return this.guestMap.get(vmid);
  }

  /** Storages as seen from a node (shared ones included). */
  storagesOf(node: string): StorageState[] {
    return this.storageList.filter((storage) => storage.node === node || storage.shared).map((storage) => this.liveStorage(storage, node));
  }

  /** `local` follows the node's root fs. */
  private liveStorage(storage: StorageState, node: string): StorageState {
    if (storage.storage !== 'local') return storage;
    const owner = this.nodeMap.get(node);
    return owner ? { ...storage, total: owner.rootTotal, used: owner.rootUsed } : storage;
  }

  private storageKey(node: string, storage: string): string {
    const found = this.storageList.find((entry) => entry.storage === storage && (entry.node === node || entry.shared));
    return found?.shared ? `/${storage}` : `${node}/${storage}`;
  }

  isNodeOnline(name: string): boolean {
    return this.nodeMap.has(name) && !this.active.some(({ fault }) => fault.kind === 'node-offline' && fault.node === name);
  }

  /** Offline for longer than staleHorizonMs → 'gone' (PVE then reports `unknown`). */
  freshness(name: string): Freshness {
    const offline = this.active.find(({ fault }) => fault.kind === 'node-offline' && fault.node === name);
    if (!offline) return 'fresh';
    return this.now() - offline.since > this.options.staleHorizonMs ? 'gone' : 'stale';
  }

  /** Epoch seconds when the node went offline (its last broadcast), if it is offline. */
  offlineSince(name: string): number | undefined {
    const offline = this.active.find(({ fault }) => fault.kind === 'node-offline' && fault.node === name);
    return offline ? Math.floor(offline.since / 1000) : undefined;
  }

  quorate(): boolean {
    if (this.active.some(({ fault }) => fault.kind === 'quorum-loss')) return false;
    const online = this.nodeList.filter((node) => this.isNodeOnline(node.name)).length;
    return online * 2 > this.nodeList.length;
  }

  faults(): readonly ActiveFault[] {
    return this.active;
  }

  dockerHost(host: string): DockerHostState | undefined {
    return this.dockerList.find((entry) => entry.host === host);
  }

  // ---- faults -----------------------------------------------------------------------------

  /** Applies a fault. Returns its id (persistent faults) or an error message. */
  applyFault(fault: Fault): { id?: number; error?: string } {
    const problem = this.checkFault(fault);
    if (problem) return { error: problem };
    const now = this.now();
    if (fault.kind === 'guest-crash') return this.crashGuest(fault.vmid), {};
    if (fault.kind === 'container-crash') {
      const failure = containerAction(this, fault.host ?? 'docker@103', fault.container, 'crash', fault.exitCode);
      return failure ? { error: failure } : {};
    }
    if (fault.kind === 'service-failed') this.failService(fault.node, fault.service, now);
    if (fault.kind === 'node-offline') this.addJournal(fault.node, 'corosync', 'corosync', 3, `[TOTEM ] A processor failed, forming new configuration.`);
    const id = this.nextFaultId++;
    if (!ONE_SHOT_KINDS.has(fault.kind)) this.active.push({ id, since: now, fault });
    return { id };
  }

  private checkFault(fault: Fault): string | undefined {
    if ('node' in fault && fault.node !== undefined && !this.nodeMap.has(fault.node)) return `no such node '${fault.node}'`;
    if ('vmid' in fault && fault.vmid !== undefined && !this.guestMap.has(fault.vmid)) return `no such guest ${fault.vmid}`;
    if (fault.kind === 'service-failed' && !this.nodeMap.get(fault.node)?.services.some((s) => s.unit === fault.service)) return `no such service '${fault.service}'`;
    if (fault.kind === 'docker-down' && !this.dockerHost(fault.host ?? 'docker@103')) return `no such docker host '${fault.host}'`;
    return undefined;
  }

  /** Removes one fault (by id) or all; undoes the lasting effects (failed services). */
  clearFaults(id?: number): boolean {
    const removed = this.active.filter((entry) => id === undefined || entry.id === id);
    if (removed.length === 0) return id === undefined;
    this.active = this.active.filter((entry) => !removed.includes(entry));
    for (const { fault } of removed) {
      if (fault.kind === 'service-failed') this.setService(fault.node, fault.service, 'active', 'running');
      if (fault.kind === 'node-offline') this.addJournal(fault.node, 'corosync', 'corosync', 5, '[QUORUM] Members rejoined');
    }
    return true;
  }

  /** Effects of active faults on one API request (`path` is after /api2/json). */
  httpFaults(method: string, path: string): HttpFaultEffect {
    let latencyMs = 0;
    let hang = false;
    let malformed = false;
    let error: HttpFaultEffect['error'];
    for (const { fault } of this.active) {
      if (fault.kind === 'latency' && pathMatches(fault.path, path)) latencyMs += fault.ms;
      if (fault.kind === 'hang' && pathMatches(fault.path, path)) hang = true;
      if (fault.kind === 'malformed' && pathMatches(fault.path, path)) malformed = true;
      if (fault.kind === 'http-error' && pathMatches(fault.path, path)) {
        error = { status: fault.status ?? 500, message: fault.message ?? `simulated failure of ${method} ${path}` };
      }
    }
    return { latencyMs, hang, malformed, error };
  }

  // ---- mutations used by actions, faults and the admin API ----------------------------------

  /** Appends a journal entry on a node (epoch seconds = now). */
  addJournal(node: string, unit: string, identifier: string, priority: number, message: string, pid?: number): void {
    const state = this.nodeMap.get(node);
    if (state) appendJournal(state, { time: Math.floor(this.clock() / 1000), unit, identifier, pid, priority, message });
  }

  setGuestRunning(guest: GuestState, running: boolean): void {
    const node = this.nodeMap.get(guest.node);
    guest.status = running ? 'running' : 'stopped';
    if (running) {
      guest.startedAt = Math.floor(this.clock() / 1000);
      guest.pid = node ? node.nextPid++ : 1;
      guest.cpu = guest.baseCpu;
      guest.mem = Math.round(guest.maxmem * 0.3);
    } else {
      guest.pid = undefined;
      guest.cpu = 0;
      guest.mem = 0;
    }
    guest.netin = guest.netout = guest.diskread = guest.diskwrite = 0;
  }

  crashGuest(vmid: number): void {
    const guest = this.guestMap.get(vmid);
    if (!guest || guest.status !== 'running') return;
    const pid = guest.pid;
    this.setGuestRunning(guest, false);
    if (guest.type === 'qemu') {
      this.addJournal(guest.node, 'kernel', 'kernel', 3, `Out of memory: Killed process ${pid} (kvm) total-vm:${Math.round(guest.maxmem / 1024)}kB`);
      this.addJournal(guest.node, `${vmid}.scope`, 'systemd', 4, `${vmid}.scope: Failed with result 'oom-kill'.`, 1);
      this.addJournal(guest.node, 'qmeventd', 'qmeventd', 6, `Starting cleanup for ${vmid}`);
    } else {
      this.addJournal(guest.node, `pve-container@${vmid}`, 'systemd', 3, `pve-container@${vmid}.service: Main process exited, code=exited, status=1/FAILURE`, 1);
    }
  }

  setService(node: string, unit: string, activeState: string, subState: string): void {
    const service = this.nodeMap.get(node)?.services.find((entry) => entry.unit === unit);
    if (!service) return;
    service.activeState = activeState;
    service.subState = subState;
    service.since = Math.floor(this.clock() / 1000);
    service.mainPid = activeState === 'active' ? (this.nodeMap.get(node)?.nextPid ?? 1000) + 1 : undefined;
  }

  private failService(node: string, unit: string, nowMs: number): void {
    this.setService(node, unit, 'failed', 'failed');
    this.addJournal(node, unit, unit, 3, `${unit}.service: Main process exited, code=killed, status=9/KILL`);
    this.addJournal(node, unit, 'systemd', 4, `${unit}.service: Failed with result 'signal'.`, 1);
    void nowMs;
  }

  // ---- SimHostView --------------------------------------------------------------------------

  nodeNames(): string[] {
    return this.nodeList.map((node) => node.name);
  }

  isNodeReachable(node: string): boolean {
    return this.isNodeOnline(node);
  }

  uptimeSeconds(node: string): number {
    const state = this.nodeMap.get(node);
    return state ? Math.max(0, this.nowSeconds() - state.bootTime) : 0;
  }

  loadAverage(node: string): [number, number, number] {
    const load = this.nodeMap.get(node)?.load ?? [0, 0, 0];
    return [round2(load[0]), round2(load[1]), round2(load[2])];
  }

  memory(node: string): SimMemory {
    const state = this.nodeMap.get(node);
    if (!state) return { total: 0, used: 0, free: 0, available: 0, swapTotal: 0, swapUsed: 0 };
    const available = state.memTotal - state.memUsed;
    return { total: state.memTotal, used: state.memUsed, free: Math.round(available * 0.6), available, swapTotal: state.swapTotal, swapUsed: state.swapUsed };
  }

  disks(node: string): SimDisk[] {
    const state = this.nodeMap.get(node);
    if (!state) return [];
    const out: SimDisk[] = [
      { filesystem: '/dev/mapper/pve-root', mount: '/', sizeBytes: state.rootTotal, usedBytes: state.rootUsed },
      { filesystem: '/dev/nvme0n1p2', mount: '/boot/efi', sizeBytes: 1_071_624_192, usedBytes: 360_448 },
    ];
    for (const storage of this.storagesOf(node)) {
      if (storage.type === 'nfs') out.push({ filesystem: `192.168.1.10:/volume1/${storage.storage}`, mount: `/mnt/pve/${storage.storage}`, sizeBytes: storage.total, usedBytes: storage.used });
    }
    return out;
  }

  services(node: string): SimService[] {
    return (this.nodeMap.get(node)?.services ?? []).map((service) => ({ ...service }));
  }

  journal(node: string, filter: { unit?: string | undefined; sinceEpoch?: number | undefined; limit?: number | undefined }): SimJournalEntry[] {
    this.now();
    let entries = this.nodeMap.get(node)?.journal ?? [];
    if (filter.unit !== undefined) entries = entries.filter((entry) => entry.unit === filter.unit || entry.identifier === filter.unit);
    if (filter.sinceEpoch !== undefined) entries = entries.filter((entry) => entry.time >= filter.sinceEpoch!);
    return filter.limit !== undefined ? entries.slice(-filter.limit) : [...entries];
  }

  interfaces(node: string): SimInterface[] {
    return [...(this.nodeMap.get(node)?.interfaces ?? [])];
  }

  dockerHosts(): string[] {
    return this.dockerList.map((entry) => entry.host);
  }

  isDockerUp(host: string): boolean {
    const state = this.dockerHost(host);
    if (!state || !state.up) return false;
    if (!this.isNodeOnline(state.node) || this.guestMap.get(state.vmid)?.status !== 'running') return false;
    return !this.active.some(({ fault }) => fault.kind === 'docker-down' && (fault.host ?? 'docker@103') === host);
  }

  containers(host: string): SimContainer[] {
    const now = this.nowSeconds();
    return (this.dockerHost(host)?.containers ?? []).map((container) => containerView(container, now));
  }

  containerAction(host: string, nameOrId: string, action: 'start' | 'stop' | 'restart'): string | undefined {
    return containerAction(this, host, nameOrId, action);
  }

  containerLogs(host: string, nameOrId: string, tail: number): string[] {
    return containerLogs(this, host, nameOrId, tail);
  }
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
