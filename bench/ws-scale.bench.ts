/**
 * Jarvis at scale, end to end: the simulator in a child process (64 nodes / 10,000 guests by
 * default, normal metrics jitter), the real `jarvis start` in this process (PVE client, poller,
 * display-precision deltas, WebSocket hub), and 20 dashboard WebSocket clients in another child
 * process (bench/helpers/ws-clients.ts). Measures:
 *  - WS bytes per client per poll against the snapshot's size (goal < 5 %);
 *  - freshness: a node taken offline / brought online through the simulator's admin API at a random
 *    moment of the 10 s period, until every client has seen it (goal: max <= 10 s + 250 ms);
 *  - this process's heap after GC and RSS over the run (goal: heap flat, RSS drift < 5 %), and its
 *    CPU per poll (the whole server: poll, delta, hub, 20 sends).
 *
 *   node --expose-gc --import tsx bench/ws-scale.bench.ts [--nodes 64] [--guests 10000] [--clients 20] [--changes 50] [--minutes 30] [--poll-ms 10000]
 *
 * Numbers go to docs/benchmarks.md ("Scale: deltas, freshness, soak").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startJarvis } from '../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../src/core/ports/logger.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '64' },
    guests: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '20' },
    changes: { type: 'string', default: '50' },
    minutes: { type: 'string', default: '0' },
    'poll-ms': { type: 'string', default: '10000' },
  },
});
const nodes = Number(values.nodes);
const guests = Number(values.guests);
const clientCount = Number(values.clients);
const changes = Number(values.changes);
const minutes = Number(values.minutes);
const pollMs = Number(values['poll-ms']);

setFlagsFromString('--expose-gc');
const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (list: number[]): number[] => [...list].sort((a, b) => a - b);
const pct = (list: number[], p: number): number => sorted(list)[Math.min(list.length - 1, Math.floor((list.length * p) / 100))] ?? Number.NaN;

interface SimInfo {
  url: string;
  adminUrl: string;
  tokenId: string;
  tokenSecret: string;
  fingerprint: string;
}

function lines(child: ChildProcess, onLine: (line: string) => void): void {
  createInterface({ input: child.stdout! }).on('line', onLine);
}

const sim = spawn(process.execPath, ['bin/jarvis.js', 'sim', '--nodes', String(nodes), '--guests', String(guests), '--auth-delay-ms', '0'], {
  stdio: ['ignore', 'pipe', 'ignore'],
});
const info = await new Promise<SimInfo>((resolve, reject) => {
  lines(sim, (line) => resolve(JSON.parse(line) as SimInfo));
  sim.once('exit', (code) => reject(new Error(`jarvis sim exited with ${code}`)));
});

const dataDir = mkdtempSync(join(tmpdir(), 'jarvis-ws-scale-'));
const started = await startJarvis({
  argv: ['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--poll-interval-ms', String(pollMs)],
  env: {
    JARVIS_PVE_URL: info.url,
    JARVIS_PVE_TOKEN_ID: info.tokenId,
    JARVIS_PVE_TOKEN_SECRET: info.tokenSecret,
    JARVIS_PVE_FINGERPRINT: info.fingerprint,
    JARVIS_ADMIN_PASSWORD: 'bench-password-123',
  },
  buildWeb: false,
  logger: silentLogger,
});
if (!started.ok) throw new Error(`jarvis start failed: ${started.error.message}`);
const running = started.value;
let clients: ChildProcess | undefined;
try {
  const login = await fetch(`${running.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: running.url },
    body: JSON.stringify({ username: 'admin', password: 'bench-password-123' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  // Wait for the first poll so every client starts from a full snapshot.
  while (running.jarvis.poller.current().version === 0) await sleep(200);

  clients = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/helpers/ws-clients.ts', `${running.url.replace('http', 'ws')}/ws`, cookie, String(clientCount)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const seen = new Map<string, number[]>(); // `${node}:${status}` -> receive times, one per client
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  let stats: { totals: { frames: number; bytes: number; deltas: number; deltaBytes: number; snapshots: number; snapshotBytes: number }[] } | undefined;
  let statsResolve: () => void = () => undefined;
  const statsDone = new Promise<void>((resolve) => (statsResolve = resolve));
  lines(clients, (line) => {
    const event = JSON.parse(line) as { kind: string; node?: string; status?: string; at?: number };
    if (event.kind === 'ready') readyResolve();
    else if (event.kind === 'seen') {
      const key = `${event.node}:${event.status}`;
      const list = seen.get(key) ?? [];
      list.push(event.at!);
      seen.set(key, list);
    } else if (event.kind === 'stats') {
      stats = event as unknown as typeof stats;
      statsResolve();
    } else if (event.kind === 'error' || event.kind === 'closed') console.error('client:', line);
  });
  await ready;

  const memory: { atMin: number; heapMiB: number; rssMiB: number }[] = [];
  const startedAt = Date.now();
  const sample = (): void => {
    gc();
    const usage = process.memoryUsage();
    memory.push({ atMin: (Date.now() - startedAt) / 60_000, heapMiB: usage.heapUsed / 2 ** 20, rssMiB: usage.rss / 2 ** 20 });
  };
  sample();
  const sampler = setInterval(sample, 60_000);
  const cpuStart = process.cpuUsage();
  const pollsStart = running.jarvis.poller.stats().polls;

  // Freshness: one change at a random moment of the period, then wait until every client saw it.
  const latencies: number[] = [];
  const missed: string[] = [];
  for (let index = 0; index < changes; index += 1) {
    const node = `node${5 + (Math.floor(index / 2) % Math.max(1, nodes - 4))}`;
    const status = index % 2 === 0 ? 'offline' : 'online';
    await sleep(Math.random() * pollMs);
    seen.delete(`${node}:${status}`);
    const changedAt = Date.now();
    const response = await fetch(`${info.adminUrl}/nodes/${node}/${status}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (!response.ok) throw new Error(`sim admin: HTTP ${response.status}`);
    const deadline = changedAt + 3 * pollMs;
    while ((seen.get(`${node}:${status}`)?.length ?? 0) < clientCount && Date.now() < deadline) await sleep(20);
    const times = seen.get(`${node}:${status}`) ?? [];
    if (times.length < clientCount) missed.push(`${node}:${status} (${times.length}/${clientCount})`);
    else latencies.push(Math.max(...times) - changedAt);
  }

  // Soak: keep the clients connected for the rest of `minutes`.
  while ((Date.now() - startedAt) / 60_000 < minutes) await sleep(5_000);
  clearInterval(sampler);
  sample();
  const cpu = process.cpuUsage(cpuStart);
  const polls = running.jarvis.poller.stats().polls - pollsStart;
  clients.stdin!.end();
  await statsDone;

  const totals = stats!.totals;
  const deltaPerClientPoll = totals.reduce((sum, t) => sum + t.deltaBytes / Math.max(1, t.deltas), 0) / totals.length;
  const snapshotBytes = totals.reduce((sum, t) => sum + t.snapshotBytes / Math.max(1, t.snapshots), 0) / totals.length;
  const f = (n: number): string => n.toFixed(1);
  console.log(
    `\nScale at ${nodes} nodes / ${guests} guests, ${clientCount} clients, poll ${pollMs / 1000} s, ${f((Date.now() - startedAt) / 60_000)} min; ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `WS bytes per client per poll: ${Math.round(deltaPerClientPoll)} (snapshot ${Math.round(snapshotBytes)} bytes): ${((deltaPerClientPoll / snapshotBytes) * 100).toFixed(2)} % of the snapshot`,
  );
  console.log(
    `freshness over ${latencies.length} changes (every client): min ${Math.min(...latencies)} / p50 ${pct(latencies, 50)} / p95 ${pct(latencies, 95)} / max ${Math.max(...latencies)} ms; over ${pollMs} + 250 ms: ${latencies.filter((v) => v > pollMs + 250).length}; missed: ${missed.length ? missed.join(', ') : 'none'}`,
  );
  console.log(
    `server CPU per poll (whole process, ${polls} polls): ${f((cpu.user + cpu.system) / 1000 / Math.max(1, polls))} ms; skipped poll slots: ${running.jarvis.poller.stats().skipped}`,
  );
  console.log('| minute | heap after GC MiB | RSS MiB |');
  console.log('|---:|---:|---:|');
  for (const point of memory) console.log(`| ${f(point.atMin)} | ${f(point.heapMiB)} | ${f(point.rssMiB)} |`);
  if (memory.length >= 3) {
    const warm = memory[1]!;
    const last = memory.at(-1)!;
    console.log(
      `from minute ${f(warm.atMin)} to ${f(last.atMin)}: heap ${f(last.heapMiB - warm.heapMiB)} MiB, RSS ${(((last.rssMiB - warm.rssMiB) / warm.rssMiB) * 100).toFixed(1)} %`,
    );
  }
} finally {
  clients?.kill('SIGTERM');
  await running.close();
  sim.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
