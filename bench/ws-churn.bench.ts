/**
 * WebSocket churn: 10,000 connect/disconnect cycles against the real hub (authenticated upgrade,
 * snapshot frame, live broadcast traffic), half of them abrupt (TCP socket destroyed, no close
 * frame). Checks that RSS, heap and open file descriptors return to baseline and that the hub
 * holds no client, timer or listener afterwards.
 *
 *   node --expose-gc --import tsx bench/ws-churn.bench.ts [cycles] [parallel]
 *
 * Not a timed test: numbers go to docs/benchmarks.md, section "WebSocket churn".
 */
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { buildTestServer } from '../test/http/test-server.ts';

const cycles = Number(process.argv[2] ?? 10_000);
const parallel = Number(process.argv[3] ?? 10);

setFlagsFromString('--expose-gc');
const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);

function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

async function settle(): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    gc();
  }
}

interface Sample {
  label: string;
  rssMiB: number;
  heapMiB: number;
  fds: number;
  hubClients: number;
  hubTimers: number;
}

const server = await buildTestServer({ hub: { maxClients: parallel + 5, batchIntervalMs: 100 } });
const hub = server.hub!;
const base = await server.app.listen({ host: '127.0.0.1', port: 0 });
const url = `${base.replace('http', 'ws')}/ws`;
const cookie = await server.login('viewer');
const headers = { origin: base, cookie };

// Background traffic so clients also receive broadcast frames while they come and go.
const traffic = setInterval(() => hub.publish({ type: 'heartbeat', payload: {} }), 20);

function sample(label: string): Sample {
  const memory = process.memoryUsage();
  return { label, rssMiB: memory.rss / 2 ** 20, heapMiB: memory.heapUsed / 2 ** 20, fds: fdCount(), hubClients: hub.size, hubTimers: hub.timerCount };
}

/** One cycle: connect, wait for the snapshot, then close cleanly or destroy the TCP socket. */
function cycle(abrupt: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('message', () => {
      if (abrupt) {
        (socket as unknown as { _socket: { destroy(): void } })._socket.destroy();
      } else socket.close(1000);
    });
    socket.once('close', () => resolve());
    socket.once('error', (error) => (abrupt ? undefined : reject(error)));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}

/** Refused upgrades must not leak either: anonymous (401) and foreign Origin (403). */
function refused(kind: 'anonymous' | 'foreign'): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers: kind === 'anonymous' ? { origin: base } : { origin: 'https://evil.example', cookie } });
    socket.once('unexpected-response', (request) => {
      request.destroy();
      resolve();
    });
    socket.once('error', () => resolve());
  });
}
async function run(count: number, offset: number): Promise<void> {
  for (let index = 0; index < count; index += parallel) {
    const batch = [];
    for (let lane = 0; lane < parallel && index + lane < count; lane += 1) batch.push(cycle((offset + index + lane) % 2 === 1));
    await Promise.all(batch);
  }
}

await run(200, 0); // warm-up: JIT, pools, lazy allocations
for (let index = 0; index < 50; index += 1) await refused(index % 2 === 0 ? 'anonymous' : 'foreign');
await settle();
const samples: Sample[] = [sample('baseline (after 200 warm-up cycles + 50 refusals)')];
const started = performance.now();
const checkpoint = Math.ceil(cycles / 4);
for (let done = 0; done < cycles; done += checkpoint) {
  await run(Math.min(checkpoint, cycles - done), done);
  samples.push(sample(`after ${Math.min(done + checkpoint, cycles)} cycles`));
}
const elapsedMs = performance.now() - started;

const refusedCount = Number(process.argv[4] ?? Math.ceil(cycles / 5));
for (let index = 0; index < refusedCount; index += parallel) {
  await Promise.all(Array.from({ length: Math.min(parallel, refusedCount - index) }, (_, lane) => refused((index + lane) % 2 === 0 ? 'anonymous' : 'foreign')));
}
samples.push(sample(`after ${refusedCount} refused upgrades (401/403)`));
clearInterval(traffic);
await settle();
samples.push(sample('settled + GC'));

const baseline = samples[0]!;
const final = samples.at(-1)!;
console.log(
  `\nWebSocket churn: ${cycles} cycles (${cycles / 2} clean close, ${cycles / 2} abrupt), ${parallel} in parallel, ${(elapsedMs / 1000).toFixed(1)} s (${Math.round(cycles / (elapsedMs / 1000))} cycles/s), then ${refusedCount} refused upgrades`,
);
console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}\n`);
console.log('| point | RSS MiB | heap MiB | open fds | hub clients | hub timers |');
console.log('|---|---|---|---|---|---|');
for (const entry of samples)
  console.log(`| ${entry.label} | ${entry.rssMiB.toFixed(1)} | ${entry.heapMiB.toFixed(1)} | ${entry.fds} | ${entry.hubClients} | ${entry.hubTimers} |`);
const heapDelta = final.heapMiB - baseline.heapMiB;
const rssDelta = final.rssMiB - baseline.rssMiB;
console.log(
  `\nheap delta ${heapDelta.toFixed(2)} MiB, RSS delta ${rssDelta.toFixed(1)} MiB, fd delta ${final.fds - baseline.fds}, hub clients ${final.hubClients}, hub timers ${final.hubTimers}`,
);
const frames = await server.deps.metrics.registry.getSingleMetricAsString('jarvis_ws_messages_sent_total');
console.log(
  frames
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n'),
);
const verdict = final.fds <= baseline.fds && final.hubClients === 0 && final.hubTimers === 0 && heapDelta < 5;
console.log(verdict ? '\nOK: back to baseline' : '\nFAIL: did not return to baseline');
await server.app.close();
process.exit(verdict ? 0 : 1);
