/**
 * Full-state refresh benchmark (issue 2): for 4 nodes/20 guests, 16/500 and 32/4000 it starts the
 * simulator in a CHILD process (`jarvis sim`), so that this process's CPU time is the client's
 * alone, then times `PveClusterApi.readSnapshot()` with token auth:
 *  - HTTP calls per refresh (counted with the client's onRequest hook; goal: 2 at every size),
 *  - client CPU ms per refresh, whole call (TLS + HTTP + JSON + decode + map; process.cpuUsage),
 *  - client CPU ms for parse + decode + map only (JSON.parse of the two bodies + zod + mappers),
 *  - simulator response time per request (wall, request sent -> body received), and body size.
 * Goal: client CPU < 20 ms per refresh at 32/4000. Medians over `rounds` refreshes after warm-up.
 * Run: `npx tsx bench/refresh.bench.ts [rounds]`; numbers go to docs/benchmarks.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { mapSnapshot } from '../src/adapters/pve/mappers/map-snapshot.ts';
import { PveClusterApi } from '../src/adapters/pve/pve-cluster-api.ts';
import { PveHttpClient, type PveRequestEvent } from '../src/adapters/pve/pve-http-client.ts';
import { clusterResourcesSchema, clusterStatusSchema } from '../src/adapters/pve/schemas/cluster.ts';

interface SimInfo {
  url: string;
  tokenId: string;
  tokenSecret: string;
  fingerprint: string;
}

export interface RefreshResult {
  readonly nodes: number;
  readonly guests: number;
  readonly callsPerRefresh: number;
  readonly cpuWholeMs: number;
  readonly cpuWholeP95Ms: number;
  /** Minimum over the rounds: the intrinsic cost, least disturbed by a loaded machine. */
  readonly cpuWholeMinMs: number;
  readonly cpuParseMapMs: number;
  readonly cpuParseMapMinMs: number;
  readonly statusMs: number;
  readonly resourcesMs: number;
  readonly wallMs: number;
  readonly resourcesBytes: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const p95 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))] ?? Number.NaN;
const cpuMs = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

async function startSimProcess(nodes: number, guests: number): Promise<{ child: ChildProcess; info: SimInfo }> {
  const child = spawn(process.execPath, ['bin/jarvis.js', 'sim', '--nodes', String(nodes), '--guests', String(guests), '--auth-delay-ms', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`jarvis sim exited with ${code}`)));
  });
  return { child, info: JSON.parse(first) as SimInfo };
}

/** Measures one size. */
export async function runRefresh(nodes: number, guests: number, rounds = 30): Promise<RefreshResult> {
  const { child, info } = await startSimProcess(nodes, guests);
  try {
    const events: PveRequestEvent[] = [];
    const client = new PveHttpClient({
      baseUrl: info.url,
      auth: { kind: 'token', tokenId: info.tokenId, tokenSecret: info.tokenSecret },
      fingerprint: info.fingerprint,
      timeoutMs: 30_000,
      onRequest: (event) => events.push(event),
    });
    const api = new PveClusterApi(client);
    for (let i = 0; i < 5; i += 1) if (!(await api.readSnapshot()).ok) throw new Error('warm-up refresh failed');
    events.length = 0;
    const whole: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const snapshot = await api.readSnapshot();
      whole.push(cpuMs(cpu));
      wall.push(performance.now() - started);
      if (!snapshot.ok || snapshot.value.guests.length !== guests)
        throw new Error(`refresh failed: ${snapshot.ok ? snapshot.value.guests.length + ' guests' : snapshot.error.code}`);
    }
    const statusBody = JSON.stringify(await client.request('GET', '/cluster/status').then((r) => (r.ok ? r.value : null)));
    const resourcesBody = JSON.stringify(await client.request('GET', '/cluster/resources').then((r) => (r.ok ? r.value : null)));
    const parseMap: number[] = [];
    for (let i = 0; i < rounds + 5; i += 1) {
      const cpu = process.cpuUsage();
      const status = clusterStatusSchema.parse((JSON.parse(statusBody) as { data: unknown }).data);
      const resources = clusterResourcesSchema.parse((JSON.parse(resourcesBody) as { data: unknown }).data);
      if (!mapSnapshot(status, resources).ok) throw new Error('map failed');
      if (i >= 5) parseMap.push(cpuMs(cpu));
    }
    const timed = events.slice(0, rounds * 2);
    client.close();
    return {
      nodes,
      guests,
      callsPerRefresh: timed.length / rounds,
      cpuWholeMs: median(whole),
      cpuWholeP95Ms: p95(whole),
      cpuWholeMinMs: Math.min(...whole),
      cpuParseMapMs: median(parseMap),
      cpuParseMapMinMs: Math.min(...parseMap),
      statusMs: median(timed.filter((e) => e.path === '/cluster/status').map((e) => e.durationMs)),
      resourcesMs: median(timed.filter((e) => e.path === '/cluster/resources').map((e) => e.durationMs)),
      wallMs: median(wall),
      resourcesBytes: resourcesBody.length,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

export function printRefresh(results: RefreshResult[]): void {
  const f = (n: number): string => n.toFixed(1);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}`);
  console.log(
    '| nodes/guests | HTTP calls per refresh | client CPU ms, whole call (min / median / p95) | client CPU ms, parse+map (min / median) | sim /cluster/status ms | sim /cluster/resources ms | refresh wall ms | resources body KiB |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.nodes}/${r.guests} | ${r.callsPerRefresh} | ${f(r.cpuWholeMinMs)} / ${f(r.cpuWholeMs)} / ${f(r.cpuWholeP95Ms)} | ${f(r.cpuParseMapMinMs)} / ${f(r.cpuParseMapMs)} | ${f(r.statusMs)} | ${f(r.resourcesMs)} | ${f(r.wallMs)} | ${(r.resourcesBytes / 1024).toFixed(0)} |`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rounds = Number(process.argv[2] ?? 30);
  const results: RefreshResult[] = [];
  for (const [nodes, guests] of [
    [4, 20],
    [16, 500],
    [32, 4000],
  ] as const)
    results.push(await runRefresh(nodes, guests, rounds));
  printRefresh(results);
}
