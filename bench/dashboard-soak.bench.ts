/**
 * Soak: push 1,000,000 metric updates through the dashboard's data path in headless chromium at a
 * high rate, and check that the JS heap after GC stays within 10 % of its value after the first
 * 10,000 updates (seed pitfall 4). Run: `node --import tsx bench/dashboard-soak.bench.ts [total]`.
 * Heap is read over CDP (HeapProfiler.collectGarbage + Runtime.getHeapUsage).
 */
import { drained, metricDelta, openDashboard } from '../test/e2e/helpers/dashboard-session.ts';
import type { ServerMessage } from '../src/protocol/index.ts';

export interface SoakResult {
  readonly updates: number;
  readonly seconds: number;
  readonly baselineBytes: number;
  readonly samples: { updates: number; heapBytes: number }[];
  readonly maxGrowth: number;
}

export async function runSoak(total = 1_000_000, deltasPerFrame = 25): Promise<SoakResult> {
  const session = await openDashboard({ query: '?bench' });
  const { server, page } = session;
  const cdp = await page.context().newCDPSession(page);
  const heapAfterGc = async (): Promise<number> => {
    // Wait until the page applied the last frame sent (nothing left in any buffer), then GC.
    const version = server.snapshot.version;
    await page.waitForFunction(`window.__jarvisStore?.getState().snapshot?.version === ${version}`, undefined, { timeout: 60_000, polling: 50 });
    await page.waitForTimeout(150); // charts redraw on the same notification
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize;
  };
  const started = Date.now();
  let sent = 0;
  let step = 0;
  let takenAt = Date.now();
  let baseline = 0;
  const samples: { updates: number; heapBytes: number }[] = [];
  const checkpoint = Math.max(20_000, Math.floor(total / 10));
  let nextSample = 10_000;
  while (sent < total) {
    const messages: ServerMessage[] = [];
    for (let index = 0; index < deltasPerFrame && sent < total; index += 1) {
      takenAt += 1_000;
      const { message, updates } = metricDelta(server, (step += 1), takenAt);
      messages.push(message);
      sent += updates;
    }
    server.broadcast(messages);
    await drained(server, 256 * 1024);
    if (sent >= nextSample) {
      const heap = await heapAfterGc();
      if (baseline === 0) baseline = heap;
      samples.push({ updates: sent, heapBytes: heap });
      nextSample = nextSample === 10_000 ? checkpoint : nextSample + checkpoint;
      if (nextSample <= sent) nextSample = sent + checkpoint;
    } else if (step % 40 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const final = await heapAfterGc();
  samples.push({ updates: sent, heapBytes: final });
  const connected = await page.getByTestId('connection-dot').getAttribute('data-status');
  await session.close();
  if (connected !== 'connected') throw new Error(`dashboard lost its connection during the soak (${connected})`);
  const maxGrowth = Math.max(...samples.map((sample) => sample.heapBytes / baseline - 1));
  return { updates: sent, seconds: (Date.now() - started) / 1000, baselineBytes: baseline, samples, maxGrowth };
}

const MiB = 1024 * 1024;

export function printSoak(result: SoakResult): void {
  console.log(
    `\nDashboard soak: ${result.updates.toLocaleString('en')} metric updates in ${result.seconds.toFixed(1)} s (${Math.round(result.updates / result.seconds).toLocaleString('en')}/s)`,
  );
  console.log('| updates | heap after GC (MiB) | vs. after 10,000 |');
  console.log('|---:|---:|---:|');
  for (const sample of result.samples) {
    console.log(
      `| ${sample.updates.toLocaleString('en')} | ${(sample.heapBytes / MiB).toFixed(2)} | ${((sample.heapBytes / result.baselineBytes - 1) * 100).toFixed(1)} % |`,
    );
  }
  console.log(`max growth ${(result.maxGrowth * 100).toFixed(1)} % (goal <= 10 %): ${result.maxGrowth <= 0.1 ? 'PASS' : 'FAIL'}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const total = Number(process.argv[2] ?? 1_000_000);
  const result = await runSoak(total);
  printSoak(result);
  process.exitCode = result.maxGrowth <= 0.1 ? 0 : 1;
}
