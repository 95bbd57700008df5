/**
 * Dashboard v2 numbers (issue 14), headless Debian chromium against the scripted server:
 * - frame rate per mode, idle and while every node and guest changes every 50 ms (p50/p95 rAF intervals);
 * - cold load: navigation to the first guest row on screen (first meaningful paint of the cockpit),
 *   with an empty HTTP cache, session cookie already set;
 * - guest table at 4000 guests: login to rows on screen, and one sort click to re-rendered rows
 *   (the table virtualises above 200 rows);
 * - bundle size of web/dist (raw and gzip).
 * Run: `node --import tsx bench/dashboard-v2.bench.ts`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { metricDelta, openDashboard, percentile } from '../test/e2e/helpers/dashboard-session.ts';

const RAF = (seconds: number) => `new Promise((resolve) => {
  const out = [];
  let last = performance.now();
  const end = last + ${seconds * 1000};
  const tick = (now) => { out.push(now - last); last = now; if (now < end) requestAnimationFrame(tick); else resolve(out.slice(1)); };
  requestAnimationFrame(tick);
})`;

async function frames(mode: string, updates: boolean, seconds = 4): Promise<{ p50: number; p95: number }> {
  const session = await openDashboard({ mode, guests: 20 });
  const { server, page } = session;
  await page.waitForTimeout(500);
  let step = 0;
  const timer = updates ? setInterval(() => server.broadcast([metricDelta(server, (step += 1), Date.now()).message]), 50) : undefined;
  const intervals = (await page.evaluate(RAF(seconds))) as number[];
  if (timer) clearInterval(timer);
  await session.close();
  return { p50: percentile(intervals, 50), p95: percentile(intervals, 95) };
}

async function coldLoad(runs = 5): Promise<number[]> {
  const session = await openDashboard({});
  const { page, server } = session;
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const client = await page.context().newCDPSession(page);
    await client.send('Network.clearBrowserCache');
    const start = Date.now();
    await page.goto(server.url);
    await page.getByTestId('guest-101').waitFor();
    times.push(Date.now() - start);
  }
  await session.close();
  return times;
}

async function bigTable(guests: number): Promise<{ renderMs: number; sortMs: number; rowsInDom: number }> {
  const start = Date.now();
  const session = await openDashboard({ guests });
  const { page } = session;
  await page.getByTestId('guest-300').waitFor();
  const renderMs = Date.now() - start;
  const sortMs = (await page.evaluate(`new Promise((resolve) => {
    const t0 = performance.now();
    document.querySelector('[data-testid="sort-name"]').click();
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
  })`)) as number;
  const rowsInDom = await page.locator('tr[data-testid^="guest-"]').count();
  await session.close();
  return { renderMs, sortMs, rowsInDom };
}

function bundle(): { file: string; bytes: number; gzip: number }[] {
  const dir = join(import.meta.dirname, '../web/dist/assets');
  return readdirSync(dir)
    .filter((file) => /\.(js|css)$/.test(file))
    .map((file) => {
      const data = readFileSync(join(dir, file));
      return { file: file.replace(/-[\w-]{8}\./, '.'), bytes: statSync(join(dir, file)).size, gzip: gzipSync(data).length };
    });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('| mode | idle p50 / p95 (ms) | idle fps at p95 | updates p50 / p95 (ms) | updates fps at p95 |');
  console.log('|---|---:|---:|---:|---:|');
  for (const mode of ['ops', 'jarvis', 'minimal']) {
    const idle = await frames(mode, false);
    const busy = await frames(mode, true);
    console.log(
      `| ${mode} | ${idle.p50.toFixed(1)} / ${idle.p95.toFixed(1)} | ${(1000 / idle.p95).toFixed(0)} | ${busy.p50.toFixed(1)} / ${busy.p95.toFixed(1)} | ${(1000 / busy.p95).toFixed(0)} |`,
    );
  }
  const cold = await coldLoad();
  console.log(`\ncold load to first guest row (ms, 5 runs, cache cleared): ${cold.join(', ')}; median ${percentile(cold, 50)}`);
  for (const count of [20, 4000]) {
    const result = await bigTable(count);
    console.log(
      `guest table at ${count} guests: login→rows ${result.renderMs} ms, sort click→painted ${result.sortMs.toFixed(0)} ms, rows in DOM ${result.rowsInDom}`,
    );
  }
  console.log('\n| asset | bytes | gzip |\n|---|---:|---:|');
  for (const asset of bundle()) console.log(`| ${asset.file} | ${asset.bytes} | ${asset.gzip} |`);
}
