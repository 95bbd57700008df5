/**
 * The dashboard's alerts panel end to end, in headless Debian chromium against the REAL server
 * (`jarvis start` in-process on the embedded simulator, the monitor on its poller): a simulator
 * scenario trips a rule, the alert appears live in the panel (WebSocket `alert-change`), an
 * operator acknowledges and snoozes it from the UI (and the server agrees), and when the scenario
 * clears the resolve arrives live too. An autonomous attempt (the guest-crash playbook's red
 * guest.start, which becomes a ticket) shows on the alert's timeline with a link to its audit row
 * by seq, and the link opens the audit log at that row. Short poll and clear delays keep it to a
 * few seconds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJarvis, type RunningJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { AlertListSchema, AuditPageSchema } from '../../src/protocol/index.ts';
import { launchBrowser } from './helpers/browser.ts';
import { ensureWebBuild } from './helpers/build-web.ts';

const POLL_MS = 500;
/** Short clear delay so the resolve follows the fault's end within a couple of polls. */
// backup-overdue off: the simulator seeds VM 104 with a 9-day-old archive, which the monitor now
// sees through the backup catalog (test/monitor/monitor-backup-catalog.test.ts); this test starts from no alert.
const CONFIG = 'monitor:\n  disabledRules: [backup-overdue]\n  alerts:\n    clearAfterMs: 1000\n';

let browser: Browser;
let running: RunningJarvis;
let dir: string;
let page: Page;
let cookie = '';

async function sim(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${running.simulator!.adminUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`sim admin ${path}: HTTP ${response.status} ${await response.text()}`);
}

async function serverAlerts(status: 'active' | 'all') {
  const response = await fetch(`${running.url}/api/alerts?status=${status}`, { headers: { cookie } });
  return AlertListSchema.parse(await response.json()).alerts;
}

beforeAll(async () => {
  await ensureWebBuild();
  dir = mkdtempSync(join(tmpdir(), 'jarvis-e2e-alerts-'));
  writeFileSync(join(dir, 'jarvis.yaml'), CONFIG);
  const started = await startJarvis({
    argv: ['--config', join(dir, 'jarvis.yaml'), '--port', '0', '--host', '127.0.0.1', '--data-dir', join(dir, 'data'), '--poll-interval-ms', String(POLL_MS)],
    env: {},
    cwd: dir,
    simulator: { authDelayMs: 0, taskDurationMs: 300, metricsIntervalMs: 0 },
    buildWeb: false,
    logger: silentLogger,
    defaultMetrics: false,
  });
  if (!started.ok) throw new Error(`jarvis start failed: ${started.error.code} ${started.error.message}`);
  running = started.value;
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  await page.goto(`${running.url}/`);
  await page.getByLabel('Password').fill(running.admin.generatedPassword!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-testid="connection-dot"][data-status="connected"]').waitFor({ timeout: 15_000 });
  cookie = (await context.cookies()).map((entry) => `${entry.name}=${entry.value}`).join('; ');
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('alerts panel against jarvis start on the embedded simulator', () => {
  it('a scenario trips an alert that appears live; ack and snooze from the UI; the resolve arrives when the scenario clears', async () => {
    await page.evaluate(() => {
      window.location.hash = '#/alerts';
    });
    const panel = page.locator('#alerts');
    await panel.getByText('No active alerts.').waitFor({ timeout: 10_000 });

    await sim('POST', '/scenario', { name: 'node-offline' });
    const item = panel.locator('li.alert[data-rule="node-offline"]');
    await item.waitFor({ timeout: 15_000 });
    await expect.poll(() => item.locator('.alert-title').textContent()).toContain('node agent is offline');
    expect(await item.getAttribute('class')).toContain('state-open');

    await item.getByRole('button', { name: 'Ack' }).click();
    await page.waitForFunction(
      () => document.querySelector('li.alert[data-rule="node-offline"]')?.classList.contains('state-acknowledged') === true,
      undefined,
      { timeout: 10_000 },
    );
    const acked = (await serverAlerts('active')).find((alert) => alert.rule === 'node-offline')!;
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'user:admin' });

    await item.getByRole('button', { name: 'Snooze 1 h' }).click();
    await page.waitForFunction(() => document.querySelector('li.alert[data-rule="node-offline"]')?.classList.contains('state-snoozed') === true, undefined, {
      timeout: 10_000,
    });
    const snoozed = (await serverAlerts('active')).find((alert) => alert.rule === 'node-offline')!;
    expect(snoozed.state).toBe('snoozed');
    expect(snoozed.snoozedUntil).toBeGreaterThan(Date.now() + 50 * 60_000);

    // The timeline (opened, acknowledged, snoozed) opens from the alert's title.
    await item.locator('.alert-title').click();
    await expect
      .poll(async () => (await item.locator('.alert-timeline li').allTextContents()).join('\n'), { timeout: 10_000 })
      .toMatch(/opened[\s\S]*acknowledged[\s\S]*snoozed/);

    await sim('POST', '/nodes/agent/online');
    await item.waitFor({ state: 'detached', timeout: 15_000 });
    const resolved = (await serverAlerts('all')).find((alert) => alert.id === snoozed.id)!;
    expect(resolved).toMatchObject({ state: 'resolved', resolvedBy: 'condition-cleared' });
    // With history shown, the resolved alert is still there, marked resolved.
    await panel.getByLabel('show history').check();
    await page.waitForFunction((id) => document.querySelector(`li[data-testid="alert-${id}"]`)?.classList.contains('state-resolved') === true, snoozed.id, {
      timeout: 10_000,
    });
  });

  it('an autonomous attempt on the timeline links its audit row by seq, and the link opens the audit log there', async () => {
    await page.evaluate(() => {
      window.location.hash = '#/alerts';
    });
    await sim('POST', '/scenario', { name: 'guest-crash' });
    const item = page.locator('#alerts li.alert[data-rule="guest-crashed"]');
    await item.waitFor({ timeout: 15_000 });
    await item.locator('.alert-title').click();
    const link = item.getByTestId('timeline-audit-link').first();
    await link.waitFor({ timeout: 15_000 });
    const seq = Number(/audit #(\d+)/.exec((await link.textContent()) ?? '')?.[1]);
    expect(Number.isInteger(seq)).toBe(true);
    expect(await link.getAttribute('href')).toBe(`#audit-${seq}`);
    const audit = AuditPageSchema.parse(await (await fetch(`${running.url}/api/audit?limit=50`, { headers: { cookie } })).json());
    expect(audit.entries.find((entry) => entry.seq === seq)).toMatchObject({ actor: expect.stringContaining('guest-crashed'), verdict: 'needs-confirmation' });
    await link.click();
    await page.locator(`#audit tr#audit-${seq}.linked`).waitFor({ timeout: 10_000 });
  });
});
