/**
 * The simulated cluster's state and behaviour: topology, metrics, tasks, faults, logs. One
 * instance backs the PVE HTTPS server, the admin API and (through SimHostView) the simulated SSH
 * and Docker servers, so every protocol tells the same story.
 */
import type { SimContainer, SimDisk, SimHostView, SimInterface, SimJournalEntry, SimMemory, SimService } from '../host-view.ts';
import { Prng } from '../prng.ts';
import { buildWorld } from './build-world.ts';
import { containerAction, containerLogs, containerView, restartLoopStep } from './docker-ops.ts';
import { FaultBook, type HttpFaultEffect } from './fault-book.ts';
import { ONE_SHOT_KINDS, type ActiveFault, type Fault } from './faults.ts';
import type { SimBackup } from './guest-history.ts';
import { disksOf, filterJournal, memoryOf } from './host-figures.ts';
import { appendJournal, bootJournal, recentJournal } from './journal.ts';
import { crashGuest, failBackup, failService, setGuestRunning, setService, startRunningBackups } from './lifecycle.ts';
import { settleNodeTotals, tickMetrics } from './metrics.ts';
import { TaskEngine } from './task-engine.ts';
import type { ClusterLogEntry, DockerHostState, GuestState, NodeState, StorageState } from './types.ts';

export type { HttpFaultEffect } from './fault-book.ts';

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

/**
 * How fresh PVE's broadcast data for a node is: 'stale' = offline within staleHorizonMs (last
 * values shown), 'gone' = offline for longer, 'silent' = online but pvestatd has not broadcast
 * for longer than the horizon (PVE then reports the node and its guests `unknown`).
 */
export type Freshness = 'fresh' | 'stale' | 'gone' | 'silent';

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
  private readonly backupList: SimBackup[];
  private readonly faultBook = new FaultBook();
  private tickCount = 0;

  constructor(options: SimWorldOptions) {
    this.options = options;
    this.clock = options.clock ?? Date.now;
    this.prng = new Prng(options.seed);
    const nowMs = this.clock();
    const data = buildWorld({ nodes: options.nodes, guests: options.guests, nowMs }, this.prng);
    this.clusterName = data.clusterName;
    this.nodeList = data.nodes;
    this.guestList = data.guests;
    this.storageList = data.storages;
    this.dockerList = data.dockerHosts;
    this.backupList = data.backups;
    for (const node of this.nodeList) this.nodeMap.set(node.name, node);
    for (const guest of this.guestList) this.guestMap.set(guest.vmid, guest);
    settleNodeTotals(this.nodeList, this.guestList);
    for (const node of this.nodeList) {
      bootJournal(node);
      recentJournal(node, Math.floor(nowMs / 1000), this.prng);
    }
    this.tasks = new TaskEngine(this.clusterLog);
    startRunningBackups(this, nowMs);
    for (const node of this.nodeList) node.journal.sort((a, b) => a.time - b.time);
  }

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
      const effects = this.faultBook.metricEffects((node, storage) => this.storageKey(node, storage));
      tickMetrics(this.nodeList, this.guestList, this.storageList, {
        prng: this.prng,
        dtSec: this.options.tickSeconds,
        isOnline: (name) => this.isNodeOnline(name),
        ...effects,
      });
      for (const loop of this.faultBook.restartLoops()) restartLoopStep(this, loop.host, loop.container);
      this.tickCount++;
    }
  }

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

  /**
   * Storages as seen from a node (shared ones included), as copies: `local` follows the node's
   * root fs, `active` is false under a storage-offline fault.
   */
  storagesOf(node: string): StorageState[] {
    const owner = this.nodeMap.get(node);
    return this.storageList
      .filter((storage) => storage.node === node || storage.shared)
      .map((storage) => ({
        ...storage,
        ...(storage.storage === 'local' && owner ? { total: owner.rootTotal, used: owner.rootUsed } : {}),
        active: !this.faultBook.storageOffline(node, storage.storage),
      }));
  }

  /** vzdump archives on one storage as seen from `node` (a shared storage's are the same from every node). */
  backupsOn(node: string, storage: string): SimBackup[] {
    return this.backupList.filter((backup) => backup.storage === storage && (backup.node === undefined || backup.node === node));
  }

  /** A vzdump that finished writes its archive (shared `nas` when the cluster has it, else the node's `local`). */
  addBackup(backup: SimBackup): void {
    this.backupList.push(backup);
  }

  /** `<node>/<storage>` for a node-local storage, `/<storage>` for a shared one. */
  private storageKey(node: string, storage: string): string {
    const found = this.storageList.find((entry) => entry.storage === storage && (entry.node === node || entry.shared));
    return found?.shared ? `/${storage}` : `${node}/${storage}`;
  }

  isNodeOnline(name: string): boolean {
    return this.nodeMap.has(name) && !this.faultBook.offline(name);
  }

  freshness(name: string): Freshness {
    const offline = this.faultBook.offline(name);
    const now = this.now();
    if (offline) return now - offline.since > this.options.staleHorizonMs ? 'gone' : 'stale';
    const statd = this.nodeMap.get(name)?.services.find((service) => service.unit === 'pvestatd');
    if (statd && statd.activeState !== 'active' && now - statd.since * 1000 > this.options.staleHorizonMs) return 'silent';
    return 'fresh';
  }

  /** Epoch seconds when the node went offline (its last broadcast), if it is offline. */
  offlineSince(name: string): number | undefined {
    const offline = this.faultBook.offline(name);
    return offline ? Math.floor(offline.since / 1000) : undefined;
  }

  /** More than half of the nodes online and no quorum-loss fault. */
  quorate(): boolean {
    if (this.faultBook.quorumLost()) return false;
    return this.nodeList.filter((node) => this.isNodeOnline(node.name)).length * 2 > this.nodeList.length;
  }

  faults(): readonly ActiveFault[] {
    return this.faultBook.list();
  }

  dockerHost(host: string): DockerHostState | undefined {
    return this.dockerList.find((entry) => entry.host === host);
  }

  /** Applies a fault. Returns its id (persistent faults) or an error message. */
  applyFault(fault: Fault): { id?: number; error?: string } {
    const problem = this.checkFault(fault);
    if (problem) return { error: problem };
    if (fault.kind === 'guest-crash') return (crashGuest(this, fault.vmid), {});
    if (fault.kind === 'container-crash') {
      const failure = containerAction(this, fault.host ?? 'docker@103', fault.container, 'crash', fault.exitCode);
      return failure ? { error: failure } : {};
    }
    if (fault.kind === 'backup-failed') return (failBackup(this, fault.vmid, fault.durationMs ?? 30_000), {});
    if (fault.kind === 'service-failed') failService(this, fault.node, fault.service);
    if (fault.kind === 'node-offline') this.addJournal(fault.node, 'corosync', 'corosync', 3, '[TOTEM ] A processor failed, forming new configuration.');
    if (ONE_SHOT_KINDS.has(fault.kind)) return {};
    return { id: this.faultBook.add(fault, this.now()) };
  }

  private checkFault(fault: Fault): string | undefined {
    if ('node' in fault && fault.node !== undefined && !this.nodeMap.has(fault.node)) return `no such node '${fault.node}'`;
    if ('vmid' in fault && fault.vmid !== undefined && !this.guestMap.has(fault.vmid)) return `no such guest ${fault.vmid}`;
    if (fault.kind === 'service-failed' && !this.nodeMap.get(fault.node)?.services.some((s) => s.unit === fault.service))
      return `no such service '${fault.service}'`;
    if (fault.kind === 'docker-down' && !this.dockerHost(fault.host ?? 'docker@103')) return `no such docker host '${fault.host}'`;
    if (fault.kind === 'container-restart-loop' && !this.dockerHost(fault.host ?? 'docker@103')?.containers.some((c) => c.name === fault.container))
      return `no such container '${fault.container}'`;
    if (fault.kind === 'storage-offline' && !this.storageList.some((entry) => entry.storage === fault.storage)) return `no such storage '${fault.storage}'`;
    return undefined;
  }

  /** Removes one fault (by id) or all, undoing lasting effects; false when the id is unknown. */
  clearFaults(id?: number): boolean {
    const removed = this.faultBook.remove(id);
    for (const { fault } of removed) {
      if (fault.kind === 'service-failed') setService(this, fault.node, fault.service, 'active', 'running');
      if (fault.kind === 'node-offline') this.addJournal(fault.node, 'corosync', 'corosync', 5, '[QUORUM] Members rejoined');
    }
    return id === undefined || removed.length > 0;
  }

  /** Effects of active faults on one API request (`path` is after /api2/json). */
  httpFaults(method: string, path: string): HttpFaultEffect {
    return this.faultBook.httpEffect(method, path);
  }

  /** Appends a journal entry on a node, stamped now. */
  addJournal(node: string, unit: string, identifier: string, priority: number, message: string, pid?: number): void {
    const state = this.nodeMap.get(node);
    if (state) appendJournal(state, { time: Math.floor(this.clock() / 1000), unit, identifier, pid, priority, message });
  }

  setGuestRunning(guest: GuestState, running: boolean): void {
    setGuestRunning(this, guest, running);
  }

  setService(node: string, unit: string, activeState: string, subState: string): void {
    setService(this, node, unit, activeState, subState);
  }

  // ---- SimHostView ----

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
    const [one, five, fifteen] = this.nodeMap.get(node)?.load ?? [0, 0, 0];
    return [round2(one), round2(five), round2(fifteen)];
  }

  memory(node: string): SimMemory {
    return memoryOf(this.nodeMap.get(node));
  }

  disks(node: string): SimDisk[] {
    return disksOf(this.nodeMap.get(node), this.storagesOf(node));
  }

  services(node: string): SimService[] {
    return (this.nodeMap.get(node)?.services ?? []).map((service) => ({ ...service }));
  }

  journal(node: string, filter: { unit?: string | undefined; sinceEpoch?: number | undefined; limit?: number | undefined }): SimJournalEntry[] {
    this.now();
    return filterJournal(this.nodeMap.get(node)?.journal ?? [], filter);
  }

  interfaces(node: string): SimInterface[] {
    return [...(this.nodeMap.get(node)?.interfaces ?? [])];
  }

  dockerHosts(): string[] {
    return this.dockerList.map((entry) => entry.host);
  }

  /** Up unless its VM is stopped, its node offline, or a docker-down fault is active. */
  isDockerUp(host: string): boolean {
    const state = this.dockerHost(host);
    if (!state || !state.up || this.faultBook.dockerDown(host)) return false;
    const vm = this.guestMap.get(state.vmid);
    return vm !== undefined && vm.status === 'running' && this.isNodeOnline(vm.node);
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
