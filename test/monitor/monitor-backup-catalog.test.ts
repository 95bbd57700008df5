/**
 * As composed in production (jarvis start on the simulator): backup-overdue knows the vzdump
 * archives in PVE storage through the backup catalog. The simulator seeds VM 104's newest archive
 * 9 days old (no vzdump task of it in PVE's task list), so it is overdue (default limit 2 days)
 * with the storage as its source; guests with a recent archive are not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestJarvis, type TestJarvis } from '../helpers/start-test-jarvis.ts';

let jarvis: TestJarvis;
beforeAll(async () => {
  jarvis = await startTestJarvis({ prefix: 'jarvis-backup-catalog-' });
}, 60_000);
afterAll(async () => jarvis?.close());

describe('the monitor in the composition root reads the backup catalog', () => {
  it('raises backup-overdue for the guest whose newest archive in storage is 9 days old, naming the storage', async () => {
    const { monitor, poller } = jarvis.running.jarvis;
    if (!monitor) throw new Error('the monitor is on by default (config monitor.enabled)');
    await monitor.evaluate(await poller.tick());
    const overdue = monitor.list({ status: 'active' }).filter((alert) => alert.rule === 'backup-overdue');
    expect(overdue.map((alert) => alert.target)).toEqual(['backup:104']);
    expect(String(overdue[0]!.facts['source'])).toMatch(/^storage:/);
  });
});
