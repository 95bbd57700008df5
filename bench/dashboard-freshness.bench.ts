/**
 * Freshness: time from a change on the server side to the DOM update, over 100 changes. The
 * scripted server renames guest 101 (`web-<i>`) and broadcasts the delta; a MutationObserver in
 * the page stamps when the new name is rendered (same machine, same clock). This measures the
 * dashboard's share (WS -> validate -> 100 ms batch -> React -> DOM); the server's poll interval
 * adds to it on a real cluster (see docs/dashboard.md).
 * Run: `node --import tsx bench/dashboard-freshness.bench.ts [changes]`.
 */
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

export function printFreshness(result: FreshnessResult): void {
  const values = result.latenciesMs;
  console.log(`\nDashboard freshness: server change -> DOM, ${values.length} of ${result.changes} changes observed`);
  console.log('| min | p50 | p90 | p95 | p99 | max (ms) |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  console.log(`| ${Math.min(...values)} | ${percentile(values, 50)} | ${percentile(values, 90)} | ${percentile(values, 95)} | ${percentile(values, 99)} | ${Math.max(...values)} |`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runFreshness(Number(process.argv[2] ?? 100));
  printFreshness(result);
  process.exitCode = result.latenciesMs.length === result.changes ? 0 : 1;
}
