/**
 * The poll cycle's steps one by one, on two real consecutive PVE answers of the simulator at
 * `nodes`/`guests` (taken 2.5 s apart, so metrics moved as they do between polls): body decode,
 * JSON.parse, decode + map, poller diff, wire DTO, display-precision delta, apply, delta
 * serialisation. Each step runs `rounds` times on the same input; reports min and median ms per
 * step and the bytes it allocates (heap growth with GC held off by a forced GC before each round).
 * A diagnostic companion of poll-cycle.bench.ts: it says where a cycle's time goes.
 *
 *   node --expose-gc --import tsx bench/poll-steps.bench.ts [nodes] [guests] [rounds]
 */
import { request } from 'node:https';
import { cpus, loadavg } from 'node:os';
import { mapSnapshot } from '../src/adapters/pve/mappers/map-snapshot.ts';
import { toSnapshotDto } from '../src/app/http/build-state.ts';
import { diffSnapshots, type ClusterSnapshot } from '../src/core/domain/index.ts';
import { applySnapshotDelta, computeSnapshotDelta, DISPLAY_PRECISION } from '../src/protocol/index.ts';
import { startSimulator } from '../src/sim/index.ts';

const nodes = Number(process.argv[2] ?? 32);
const guests = Number(process.argv[3] ?? 4000);
const rounds = Number(process.argv[4] ?? 40);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const sim = await startSimulator({ nodes, guests, authDelayMs: 0 });

/** Raw body of one GET (loopback to the in-process simulator; its certificate is not checked here). */
function get(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.url}/api2/json${path}`,
      { rejectUnauthorized: false, headers: { authorization: `PVEAPIToken=${sim.tokenId}=${sim.tokenSecret}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function take(version: number): Promise<{ status: Buffer; resources: Buffer; snapshot: ClusterSnapshot }> {
  const [status, resources] = await Promise.all([get('/cluster/status'), get('/cluster/resources')]);
  const mapped = mapSnapshot(
    (JSON.parse(status.toString()) as { data: unknown[] }).data as never,
    (JSON.parse(resources.toString()) as { data: unknown[] }).data,
  );
  if (!mapped.ok) throw new Error(mapped.error.message);
  return { status, resources, snapshot: { ...mapped.value, version, takenAt: Date.now() } };
}

const first = await take(1);
await new Promise((resolve) => setTimeout(resolve, 2_500));
const second = await take(2);
await sim.close();

const results: { step: string; times: number[]; bytes: number[] }[] = [];
function step<T>(name: string, run: () => T): T {
  const times: number[] = [];
  const bytes: number[] = [];
  let value!: T;
  for (let i = 0; i < rounds; i += 1) {
    gc!();
    const heap = process.memoryUsage().heapUsed;
    const start = performance.now();
    value = run();
    times.push(performance.now() - start);
    bytes.push(process.memoryUsage().heapUsed - heap);
  }
  results.push({ step: name, times, bytes });
  return value;
}

const text = step('body toString utf8 (resources)', () => second.resources.toString('utf8'));
const parsed = step('JSON.parse (resources)', () => JSON.parse(text) as { data: unknown[] });
const statusData = (JSON.parse(second.status.toString()) as { data: unknown[] }).data;
step('decode + map (mapSnapshot)', () => mapSnapshot(statusData as never, parsed.data));
step('poller diff (diffSnapshots)', () => diffSnapshots(first.snapshot, second.snapshot, { storageThreshold: 0.85 }));
const base = toSnapshotDto(first.snapshot);
const next = step('wire DTO (toSnapshotDto)', () => toSnapshotDto(second.snapshot));
const delta = step('display delta (computeSnapshotDelta)', () => computeSnapshotDelta(base, next, DISPLAY_PRECISION));
step('apply to published view (applySnapshotDelta)', () => applySnapshotDelta(base, delta));
step('serialise delta frame (JSON.stringify)', () => JSON.stringify({ type: 'delta', seq: 1, payload: delta }));

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
const median = (values: number[]): number => sorted(values)[Math.floor(values.length / 2)] ?? Number.NaN;
console.log(
  `\nPoll steps at ${nodes} nodes / ${guests} guests (resources body ${second.resources.length} bytes), ${rounds} rounds each; ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
);
console.log('| step | min ms | median ms | allocated (median) |');
console.log('|---|---:|---:|---:|');
let total = 0;
for (const { step: name, times, bytes } of results) {
  total += median(times);
  console.log(`| ${name} | ${Math.min(...times).toFixed(2)} | ${median(times).toFixed(2)} | ${(median(bytes) / 1024 / 1024).toFixed(2)} MiB |`);
}
console.log(`| sum of medians | | ${total.toFixed(2)} | |`);
