/**
 * The whole poll cycle, in-process, against the simulator in a CHILD process (`jarvis sim`, normal
 * metrics jitter: a pvestatd-like tick every 2 s), so this process's CPU is Jarvis's alone:
 *   readSnapshot (TLS, HTTP, JSON, decode, map) -> poller diff (cluster events) -> feed (wire DTO,
 *   display-precision delta, published view) -> hub (one serialisation, sent to `clients` sockets).
 * Reports, per poll, CPU ms of readSnapshot alone and of the whole cycle (min / median / p95), the
 * delta frame's bytes against the full snapshot's, and the CPU of the old exact delta for comparison
 * (measured in a second phase, so its allocations do not land in the measured cycles' GC).
 * Each poll waits `gapMs` (default 10 s, PVE's period) so the simulator's metrics move as they would.
 * These shared cores run at different speeds from day to day (the same code measured a 1.6x slower
 * cycle on another day), so every measured cycle is followed by a fixed reference workload (JSON.parse
 * of a 1 MB document shaped like /cluster/resources) and the cycle is also reported as a multiple
 * of it: a ratio measured in the same run, comparable across days and machines.
 *
 *   node --expose-gc --import tsx bench/poll-cycle.bench.ts [nodes] [guests] [polls] [gapMs]
 *
 * Numbers go to docs/benchmarks.md ("Poll cycle").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { WebSocket } from 'ws';
import { PveClusterApi } from '../src/adapters/pve/pve-cluster-api.ts';
import { PveHttpClient } from '../src/adapters/pve/pve-http-client.ts';
import { toSnapshotDto } from '../src/app/http/build-state.ts';
import { createPoller } from '../src/app/monitor/poller.ts';
import { createEventBus } from '../src/app/events/event-bus.ts';
import { connectPollerFeed } from '../src/app/ws/poller-feed.ts';
import { WsHub } from '../src/app/ws/ws-hub.ts';
import { silentLogger } from '../src/core/ports/logger.ts';
import { computeSnapshotDelta, EXACT_PRECISION, type StateDto } from '../src/protocol/index.ts';

interface SimInfo {
  url: string;
  tokenId: string;
  tokenSecret: string;
  fingerprint: string;
}

const nodes = Number(process.argv[2] ?? 64);
const guests = Number(process.argv[3] ?? 10_000);
const polls = Number(process.argv[4] ?? 20);
const gapMs = Number(process.argv[5] ?? 10_000);
const clients = 20;

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
const median = (values: number[]): number => sorted(values)[Math.floor(values.length / 2)] ?? Number.NaN;
const p95 = (values: number[]): number => sorted(values)[Math.min(values.length - 1, Math.floor(values.length * 0.95))] ?? Number.NaN;
const cpuMs = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

async function startSimProcess(): Promise<{ child: ChildProcess; info: SimInfo }> {
  const child = spawn(process.execPath, ['bin/jarvis.js', 'sim', '--nodes', String(nodes), '--guests', String(guests), '--auth-delay-ms', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`jarvis sim exited with ${code}`)));
  });
  return { child, info: JSON.parse(first) as SimInfo };
}

/** Counts what the hub sends; enough of a `ws` socket for the hub. */
class CountingSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  bytes = 0;
  frames = 0;
  on(): this {
    return this;
  }
  off(): this {
    return this;
  }
  send(text: string): void {
    this.bytes += Buffer.byteLength(text);
    this.frames += 1;
  }
  close(): void {
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
  ping(): void {}
}

/** The reference workload: a deterministic ~1 MB JSON array of guest-like entries, parsed once. */
const referenceText = JSON.stringify(
  Array.from({ length: 4000 }, (_, i) => ({
    id: `qemu/${1000 + i}`,
    vmid: 1000 + i,
    name: `guest-${i}`,
    node: `node${i % 32}`,
    type: i % 3 === 0 ? 'lxc' : 'qemu',
    status: i % 7 === 0 ? 'stopped' : 'running',
    cpu: (i % 97) / 97,
    maxcpu: 4,
    mem: 1_000_000 + i * 7919,
    maxmem: 8_589_934_592,
    disk: 0,
    maxdisk: 34_359_738_368,
    uptime: 86_400 + i,
    netin: i * 104_729,
    netout: i * 7_727,
    template: 0,
    tags: i % 5 === 0 ? 'prod;web' : '',
  })),
);
const referenceMs = (): number => {
  const start = process.cpuUsage();
  JSON.parse(referenceText);
  return cpuMs(start);
};

const { child, info } = await startSimProcess();
try {
  const client = new PveHttpClient({
    baseUrl: info.url,
    auth: { kind: 'token', tokenId: info.tokenId, tokenSecret: info.tokenSecret },
    fingerprint: info.fingerprint,
    timeoutMs: 60_000,
  });
  const api = new PveClusterApi(client);
  const readCpu: number[] = [];
  const timedApi = {
    readSnapshot: async (options?: Parameters<PveClusterApi['readSnapshot']>[0]) => {
      const start = process.cpuUsage();
      const result = await api.readSnapshot(options);
      readCpu.push(cpuMs(start));
      return result;
    },
  };
  const poller = createPoller({ cluster: timedApi, clock: { now: Date.now }, logger: silentLogger }, { intervalMs: gapMs });
  let hub: WsHub | undefined;
  const feed = connectPollerFeed(poller, { publish: (message) => hub?.publish(message), events: createEventBus(silentLogger) });
  hub = new WsHub(
    { clock: { now: Date.now }, logger: silentLogger, stateFor: async () => ({ seq: 0 }) as unknown as StateDto },
    { batchIntervalMs: 100, pingIntervalMs: 3_600_000, heartbeatIdleMs: 3_600_000, maxClients: clients + 1, maxBufferedBytes: 1e12 },
  );
  const sockets = Array.from({ length: clients }, () => new CountingSocket());

  // Warm-up: JIT and pools; the first poll's delta is the whole snapshot.
  for (let i = 0; i < 4; i += 1) {
    await poller.tick();
    hub.flush();
  }
  for (const socket of sockets) hub.attach(socket as unknown as WebSocket, { kind: 'user', name: 'bench', role: 'viewer', credentialId: 'b' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  readCpu.length = 0;
  const cycleCpu: number[] = [];
  const referenceCpu: number[] = [];
  const frameBytes: number[] = [];
  // GC pauses on the main thread during each measured cycle (PerformanceObserver 'gc' entries,
  // matched to the cycles' time windows after the loop: entries arrive asynchronously).
  const gcEntries: { start: number; duration: number }[] = [];
  const windows: [number, number][] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcEntries.push({ start: entry.startTime, duration: entry.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < polls; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, gapMs));
    const before = sockets[0]!.bytes;
    const from = performance.now();
    const start = process.cpuUsage();
    const result = await poller.tick();
    hub.flush();
    cycleCpu.push(cpuMs(start));
    windows.push([from, performance.now()]);
    if (!result.ok) throw new Error(`poll failed: ${result.error.message}`);
    frameBytes.push(sockets[0]!.bytes - before);
    referenceCpu.push(referenceMs());
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  gcObserver.disconnect();
  const gcPauses = windows.map(([from, to]) =>
    gcEntries.filter((entry) => entry.start >= from && entry.start < to).reduce((sum, entry) => sum + entry.duration, 0),
  );
  const readCycle = [...readCpu];
  // Phase 2, for comparison: what the old exact delta (EXACT_PRECISION) cost and weighed on the same polls.
  const exactBytes: number[] = [];
  const exactDeltaCpu: number[] = [];
  const snapshotBytes: number[] = [];
  let previousExact = toSnapshotDto(poller.current().snapshot!);
  for (let i = 0; i < Math.min(polls, 6); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, gapMs));
    const result = await poller.tick();
    hub.flush();
    if (!result.ok) throw new Error(`poll failed: ${result.error.message}`);
    const next = toSnapshotDto(result.snapshot);
    const exactStart = process.cpuUsage();
    const exact = computeSnapshotDelta(previousExact, next, EXACT_PRECISION);
    exactDeltaCpu.push(cpuMs(exactStart));
    exactBytes.push(Buffer.byteLength(JSON.stringify(exact)));
    previousExact = next;
    snapshotBytes.push(Buffer.byteLength(feed.stateReader.published!()!.json));
  }
  const f = (n: number): string => n.toFixed(1);
  const snapshotSize = median(snapshotBytes);
  console.log(
    `\nPoll cycle at ${nodes} nodes / ${guests} guests, ${polls} polls ${gapMs / 1000} s apart, ${clients} sockets; ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );
  console.log('| measure | min | median | p95 |');
  console.log('|---|---:|---:|---:|');
  console.log(`| readSnapshot CPU ms | ${f(Math.min(...readCycle))} | ${f(median(readCycle))} | ${f(p95(readCycle))} |`);
  console.log(
    `| whole cycle CPU ms (read + diff + delta + serialise + send to ${clients}) | ${f(Math.min(...cycleCpu))} | ${f(median(cycleCpu))} | ${f(p95(cycleCpu))} |`,
  );
  console.log(
    `| reference: JSON.parse of a fixed ${(referenceText.length / 1e6).toFixed(2)} MB document, CPU ms | ${f(Math.min(...referenceCpu))} | ${f(median(referenceCpu))} | ${f(p95(referenceCpu))} |`,
  );
  console.log(`| GC pause ms on the main thread during the cycle | ${f(Math.min(...gcPauses))} | ${f(median(gcPauses))} | ${f(p95(gcPauses))} |`);
  console.log(
    `| old exact delta CPU ms (computeSnapshotDelta, EXACT_PRECISION) | ${f(Math.min(...exactDeltaCpu))} | ${f(median(exactDeltaCpu))} | ${f(p95(exactDeltaCpu))} |`,
  );
  console.log(`| delta frame bytes per client per poll | ${Math.min(...frameBytes)} | ${median(frameBytes)} | ${p95(frameBytes)} |`);
  console.log(`| exact delta bytes (what was sent before) | ${Math.min(...exactBytes)} | ${median(exactBytes)} | ${p95(exactBytes)} |`);
  console.log(`\nwhole cycle median / reference median: ${(median(cycleCpu) / median(referenceCpu)).toFixed(2)}x`);
  console.log(
    `\nsnapshot ${snapshotSize} bytes; delta frame / snapshot: median ${((median(frameBytes) / snapshotSize) * 100).toFixed(2)} %, p95 ${((p95(frameBytes) / snapshotSize) * 100).toFixed(2)} %; exact delta / snapshot: median ${((median(exactBytes) / snapshotSize) * 100).toFixed(1)} %`,
  );
  await poller.stop();
  feed.unsubscribe();
  await hub.close();
  client.close();
} finally {
  child.kill('SIGTERM');
}
