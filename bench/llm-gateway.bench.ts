/**
 * LLM gateway benchmarks. Run: `node --import tsx bench/llm-gateway.bench.ts [userRequests]`.
 * 1. User queue wait added by Jarvis with every background slot busy: the real gateway (AI SDK
 *    client, layers, scheduler) against the simulator's llama-server fake (4 slots, 1 reserved for
 *    users, 3 background requests holding their slots for the whole run); per user request, the
 *    time from `gateway.complete()` to the fake receiving the HTTP request. Goal: p95 < 50 ms.
 * 2. Spend ledger reservations per second under 50 concurrent callers (file-backed SQLite, WAL):
 *    each caller loops reserve -> settle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/adapters/sqlite/open-database.ts';
import { SqliteSpendLedger } from '../src/adapters/sqlite/sqlite-spend-ledger.ts';
import { startHarness, userRequest } from '../test/llm/gateway-harness.ts';

const userRequests = Number(process.argv[2] ?? 200);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function queueWait(): Promise<void> {
  const harness = await startHarness({ local: { slots: 4, ctx: 16384 }, reservedUserSlots: 1, cloud: false });
  const { handle, llama } = harness;
  llama!.script.push(...Array.from({ length: 3 }, () => ({ match: 'background job', text: 'done', delayMs: 600_000 })));
  const controller = new AbortController();
  const background = Array.from({ length: 3 }, (_, index) =>
    handle.gateway.complete(userRequest(`background job ${index}`, { class: 'background', signal: controller.signal })),
  );
  while (llama!.state().busySlots.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
  const added: number[] = [];
  for (let index = 0; index < userRequests; index += 1) {
    const before = llama!.requests.list().length;
    const startedWall = Date.now();
    const started = performance.now();
    const pending = handle.gateway.complete(userRequest(`user question ${index}`));
    // The fake records the request when it arrives; poll the log with microtask-level yields.
    while (llama!.requests.list().length === before) await new Promise((resolve) => setImmediate(resolve));
    added.push(performance.now() - started);
    const result = await pending;
    if (!result.ok) throw new Error(result.error.message);
    void startedWall;
  }
  controller.abort();
  await Promise.all(background);
  await harness.close();
  console.log(`user queue wait added by Jarvis, all ${3} background slots busy, ${userRequests} user requests:`);
  console.log(
    `  p50 ${percentile(added, 50).toFixed(2)} ms  p95 ${percentile(added, 95).toFixed(2)} ms  max ${Math.max(...added).toFixed(2)} ms  (goal p95 < 50 ms)`,
  );
}

async function ledgerRate(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-ledger-bench-'));
  const ledger = new SqliteSpendLedger(openDatabase(join(dir, 'llm.db')));
  const callers = 50;
  const perCaller = 200;
  const now = Date.now();
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let index = 0; index < perCaller; index += 1) {
        const reservation = ledger.reserve(
          { provider: 'cloud', model: 'claude', category: 'complex', purpose: 'bench', amountUsd: 0.001 },
          { hourly: 1_000, daily: 10_000 },
          now,
        );
        await Promise.resolve();
        if (!reservation.ok) {
          refused += 1;
          continue;
        }
        ledger.settle(reservation.value.id, { inputTokens: 100, outputTokens: 10, cachedInputTokens: 0, costUsd: 0.0005 }, now);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = callers * perCaller;
  console.log(
    `spend ledger, ${callers} concurrent callers x ${perCaller} reserve+settle (file-backed SQLite, WAL): ${(total / seconds).toFixed(0)} reservations/s (${seconds.toFixed(2)} s, ${refused} refused)`,
  );
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `load average ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ')}, Node ${process.version}`,
);
await queueWait();
await ledgerRate();
