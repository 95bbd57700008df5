/**
 * Freshness, two ways, over 100 changes each:
 * - `--live`: the real `startJarvis()` on the embedded simulator (poll interval 1 s by default):
 *   node `agent` is taken offline / brought online through the simulator's admin API, and the
 *   page stamps when the node card's status flips. This is the whole path: simulator -> PVE REST
 *   poll -> diff -> WS hub (100 ms batching) -> dashboard (100 ms batching) -> DOM.
 * - default: the dashboard's share alone, against the scripted server. The
 * scripted server renames guest 101 (`web-<i>`) and broadcasts the delta; a MutationObserver in
 * the page stamps when the new name is rendered (same machine, same clock). This measures the
 * dashboard's share (WS -> validate -> 100 ms batch -> React -> DOM); the server's poll interval
 * adds to it on a real cluster (see docs/dashboard.md).
 * Run: `node --import tsx bench/dashboard-freshness.bench.ts [--live] [changes]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJarvis } from '../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../src/core/ports/logger.ts';
import { launchBrowser } from '../test/e2e/helpers/browser.ts';
import { ensureWebBuild } from '../test/e2e/helpers/build-web.ts';
import { openDashboard, percentile } from '../test/e2e/helpers/dashboard-session.ts';

export interface FreshnessResult {
  readonly changes: number;
  readonly latenciesMs: number[];
}

export async function runFreshness(changes = 100): Promise<FreshnessResult> {
  const session = await openDashboard();
  const { server, page } = session;
  await page.evaluate(`(() => {
    window.__seen = {};
    const observer = new MutationObserver(() => {
      const cell = document.querySelector('[data-testid="guest-101"] td:nth-child(2)');
      const match = cell && /web-(\\d+)/.exec(cell.textContent || '');
      if (match && window.__seen[match[1]] === undefined) window.__seen[match[1]] = Date.now();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  const sentAt: number[] = [];
  for (let index = 0; index < changes; index += 1) {
    await new Promise((resolve) => setTimeout(resolve, 120 + Math.random() * 120));
    sentAt[index] = Date.now();
    server.update((snapshot) => ({ ...snapshot, guests: snapshot.guests.map((guest) => (guest.vmid === 101 ? { ...guest, name: `web-${index}` } : guest)) }));
  }
  await page.waitForTimeout(500);
  const seen = (await page.evaluate('window.__seen')) as Record<string, number>;
  await session.close();
  const latenciesMs = sentAt.map((sent, index) => (seen[String(index)] ?? Number.NaN) - sent).filter((value) => Number.isFinite(value));
  return { changes, latenciesMs };
}

/** Simulator change -> DOM through the real server; see the file comment. */
export async function runLiveFreshness(changes = 100, pollMs = 1_000): Promise<FreshnessResult> {
  await ensureWebBuild();
  const dataDir = mkdtempSync(join(tmpdir(), 'jarvis-bench-'));
  const started = await startJarvis({
    argv: ['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--poll-interval-ms', String(pollMs)],
    env: { JARVIS_ADMIN_PASSWORD: 'bench-password-123' },
    simulator: { authDelayMs: 0 },
    buildWeb: false,
    logger: silentLogger,
    defaultMetrics: false,
  });
  if (!started.ok) throw new Error(`jarvis start failed: ${started.error.message}`);
  const running = started.value;
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(running.url);
    await page.getByLabel('Password').fill('bench-password-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-testid="node-agent"][data-status="online"]').waitFor({ timeout: 15_000 });
    await page.evaluate(`(() => {
      window.__flips = [];
      let last = 'online';
      new MutationObserver(() => {
        const status = document.querySelector('[data-testid="node-agent"]')?.getAttribute('data-status');
        if (status && (status === 'online') !== (last === 'online')) { window.__flips.push(Date.now()); last = status; }
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-status'] });
    })()`);
    const sentAt: number[] = [];
    for (let index = 0; index < changes; index += 1) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * pollMs));
      sentAt.push(Date.now());
      const response = await fetch(`${running.simulator!.adminUrl}/nodes/agent/${index % 2 === 0 ? 'offline' : 'online'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (!response.ok) throw new Error(`sim admin: HTTP ${response.status}`);
      await page.waitForFunction(`window.__flips.length >= ${index + 1}`, undefined, { timeout: 15_000, polling: 20 });
    }
    const flips = (await page.evaluate('window.__flips')) as number[];
    return { changes, latenciesMs: sentAt.map((sent, index) => flips[index]! - sent) };
  } finally {
    await browser.close();
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printFreshness(result: FreshnessResult, what = 'server change -> DOM (dashboard share)'): void {
  const values = result.latenciesMs;
  console.log(`\nDashboard freshness: ${what}, ${values.length} of ${result.changes} changes observed`);
  console.log('| min | p50 | p90 | p95 | p99 | max (ms) |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${Math.min(...values)} | ${percentile(values, 50)} | ${percentile(values, 90)} | ${percentile(values, 95)} | ${percentile(values, 99)} | ${Math.max(...values)} |`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const live = process.argv.includes('--live');
  const count = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 100);
  const result = live ? await runLiveFreshness(count) : await runFreshness(count);
  printFreshness(result, live ? 'simulator change -> DOM through jarvis start (poll 1 s)' : undefined);
  process.exitCode = result.latenciesMs.length === result.changes ? 0 : 1;
}
