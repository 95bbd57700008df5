/**
 * The active persistent faults and what they mean for metrics, HTTP requests, nodes, quorum and
 * Docker. Pure bookkeeping: side effects (journal lines, failed units) live in SimWorld.
 */
import { pathMatches, type ActiveFault, type Fault } from './faults.ts';

/** What the HTTP layer must do to a request because of active faults. */
export interface HttpFaultEffect {
  readonly latencyMs: number;
  readonly hang: boolean;
  readonly malformed: boolean;
  readonly error?: { readonly status: number; readonly message: string } | undefined;
}

/** Fault effects one metrics tick applies. */
export interface MetricEffects {
  readonly runawayNodes: Set<string>;
  readonly runawayGuests: Set<number>;
  readonly memoryNodes: Set<string>;
  readonly memoryGuests: Set<number>;
  /** node -> fraction of free root-fs space filled per tick. */
  readonly rootFills: Map<string, number>;
  /** storage key (see SimWorld.storageKey) -> fraction per tick. */
  readonly storageFills: Map<string, number>;
}

export class FaultBook {
  private active: ActiveFault[] = [];
  private nextId = 1;

  list(): readonly ActiveFault[] {
    return this.active;
  }

  /** Records a persistent fault applied at `since` (epoch ms); returns its id. */
  add(fault: Fault, since: number): number {
    const id = this.nextId++;
    this.active.push({ id, since, fault });
    return id;
  }

  /** Takes out one fault (by id) or all; returns those removed. */
  remove(id?: number): ActiveFault[] {
    const removed = this.active.filter((entry) => id === undefined || entry.id === id);
    this.active = this.active.filter((entry) => !removed.includes(entry));
    return removed;
  }

  /** The node-offline fault of a node, if any. */
  offline(node: string): ActiveFault | undefined {
    return this.active.find(({ fault }) => fault.kind === 'node-offline' && fault.node === node);
  }

  /** A storage-offline fault for that storage, on that node or on every node. */
  storageOffline(node: string, storage: string): boolean {
    return this.active.some(({ fault }) => fault.kind === 'storage-offline' && fault.storage === storage && (fault.node === undefined || fault.node === node));
  }

  quorumLost(): boolean {
    return this.active.some(({ fault }) => fault.kind === 'quorum-loss');
  }

  dockerDown(host: string): boolean {
    return this.active.some(({ fault }) => fault.kind === 'docker-down' && (fault.host ?? 'docker@103') === host);
  }

  /** Containers in a restart loop: `host/container`. */
  restartLoops(): { host: string; container: string }[] {
    return this.active.flatMap(({ fault }) =>
      fault.kind === 'container-restart-loop' ? [{ host: fault.host ?? 'docker@103', container: fault.container }] : [],
    );
  }

  /** Effects on one API request (`path` is after /api2/json). */
  httpEffect(method: string, path: string): HttpFaultEffect {
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

  /** CPU runaways and disk fills for the next tick. */
  metricEffects(storageKey: (node: string, storage: string) => string): MetricEffects {
    const effects: MetricEffects = {
      runawayNodes: new Set(),
      runawayGuests: new Set(),
      memoryNodes: new Set(),
      memoryGuests: new Set(),
      rootFills: new Map(),
      storageFills: new Map(),
    };
    for (const { fault } of this.active) {
      if (fault.kind === 'cpu-runaway') {
        if (fault.vmid !== undefined) effects.runawayGuests.add(fault.vmid);
        else if (fault.node !== undefined) effects.runawayNodes.add(fault.node);
      }
      if (fault.kind === 'memory-pressure') {
        if (fault.vmid !== undefined) effects.memoryGuests.add(fault.vmid);
        else if (fault.node !== undefined) effects.memoryNodes.add(fault.node);
      }
      if (fault.kind === 'disk-fill') {
        const step = fault.stepFraction ?? 0.1;
        if (fault.storage === undefined || fault.storage === 'local') effects.rootFills.set(fault.node, step);
        else effects.storageFills.set(storageKey(fault.node, fault.storage), step);
      }
    }
    return effects;
  }
}
