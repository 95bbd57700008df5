/**
 * Dashboard v2 numbers (issue 14), headless Debian chromium against the scripted server:
 * - frame rate per mode at a 1440×900 viewport, idle and while every node and guest changes every 50 ms (p50/p95 rAF intervals);
 * - cold load: navigation to the first guest row on screen (first meaningful paint of the cockpit),
 *   with an empty HTTP cache, session cookie already set;
 * - guest table at 4000 guests: the table's render alone (guests already in the store, no login or
 *   network: mounting the overview from another view until the rows are painted), at 1440×900
 *   (virtualised above 200 rows) and at 390×844 (cards, 50 at a time); and one sort click to
 *   re-rendered rows;
 * - bundle size of web/dist (raw and gzip).
 * Run: `node --import tsx bench/dashboard-v2.bench.ts`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { metricDelta, openDashboard, percentile } from '../test/e2e/helpers/dashboard-session.ts';

const VIEWPORT = { width: 1440, height: 900 };

const RAF = (seconds: number) => `new Promise((resolve) => {
  const out = [];
  let last = performance.now();
  const end = last + ${seconds * 1000};
  const tick = (now) => { out.push(now - last); last = now; if (now < end) requestAnimationFrame(tick); else resolve(out.slice(1)); };
  requestAnimationFrame(tick);
})`;

async function frames(mode: string, updates: boolean, seconds = 4): Promise<{ p50: number; p95: number }> {
  const session = await openDashboard({ mode, guests: 20, viewport: VIEWPORT });
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

/** Mounts the overview from the backups view and resolves when guest row `testId` is painted (two frames later). */
const MOUNT_TABLE = (testId: string) => `new Promise((resolve) => {
  const t0 = performance.now();
  window.location.hash = '#/';
  const check = () => {
    if (document.querySelector('[data-testid="${testId}"]')) requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
    else requestAnimationFrame(check);
  };
  check();
})`;

async function bigTable(
  guests: number,
  viewport: { width: number; height: number },
  runs = 5,
): Promise<{ renderMs: number[]; sortMs: number; rowsInDom: number }> {
  const session = await openDashboard({ guests, viewport });
  const { page } = session;
  await page.getByTestId('guest-101').waitFor();
  const renderMs: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    await page.evaluate(() => (window.location.hash = '#/backups'));
    await page.getByTestId('guest-101').waitFor({ state: 'detached' });
    renderMs.push((await page.evaluate(MOUNT_TABLE('guest-101'))) as number);
  }
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
  for (const [label, viewport] of [
    ['1440×900', VIEWPORT],
    ['390×844', { width: 390, height: 844 }],
  ] as const) {
    for (const count of [20, 4000]) {
      const result = await bigTable(count, viewport);
      console.log(
        `guest table at ${count} guests, ${label}: render alone ${result.renderMs.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${percentile(result.renderMs, 50).toFixed(0)}), sort click→painted ${result.sortMs.toFixed(0)} ms, rows in DOM ${result.rowsInDom}`,
      );
    }
  }
  console.log('\n| asset | bytes | gzip |\n|---|---:|---:|');
  for (const asset of bundle()) console.log(`| ${asset.file} | ${asset.bytes} | ${asset.gzip} |`);
}
