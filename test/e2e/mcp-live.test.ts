/**
 * One event seam, end to end: whatever starts an action, an already-open dashboard sees it live.
 * The real server (`jarvis start`'s startJarvis, in-process) on the embedded simulator, a logged-in
 * dashboard in headless chromium, and an MCP client (the SDK's Streamable HTTP transport with an
 * operator token) that proposes a red action: the approval card, the audit rows and, after a human
 * approves in the dashboard, the task and its end all arrive without a reload. A PVE task started
 * outside Jarvis (root@pam through the simulator's REST API) shows in the task list, and a reload
 * keeps the list (the server holds it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteAuthStore } from '../../src/adapters/sqlite/auth-store.ts';
import { AuthService } from '../../src/app/auth/auth-service.ts';
import { startJarvis, type RunningJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { pveRequest } from '../sim/pve-request.ts';
import { launchBrowser } from './helpers/browser.ts';
import { ensureWebBuild } from './helpers/build-web.ts';

const POLL_MS = 1_000;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let dataDir: string;
let running: RunningJarvis;
let password = '';
let mcp: Client;

beforeAll(async () => {
  await ensureWebBuild();
  browser = await launchBrowser();
  dataDir = mkdtempSync(join(tmpdir(), 'jarvis-e2e-mcp-'));
  const started = await startJarvis({
    argv: ['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--poll-interval-ms', String(POLL_MS)],
    env: {},
    simulator: { authDelayMs: 0, taskDurationMs: 1_500, metricsIntervalMs: 0 },
    buildWeb: false,
    logger: silentLogger,
    defaultMetrics: false,
  });
  if (!started.ok) throw new Error(`jarvis start failed: ${started.error.code} ${started.error.message}`);
  running = started.value;
  password = running.admin.generatedPassword ?? '';
  const store = SqliteAuthStore.open(join(dataDir, 'auth.db'));
  const token = new AuthService(store, { now: () => Date.now() }).createToken('operator', 'claude-desktop').token;
  store.close();
  mcp = new Client({ name: 'e2e-mcp', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${running.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  await page.goto(running.url);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-testid="connection-dot"][data-status="connected"]').waitFor({ timeout: 10_000 });
  await page.getByTestId('node-pve').waitFor({ timeout: 10_000 });
});
afterAll(async () => {
  await mcp?.close();
  await context?.close();
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('one event seam: MCP-started actions and outside PVE tasks reach an open dashboard live', () => {
  it('shows a red action proposed over MCP as an approval card, its audit rows, and after approval its task and end, without a reload', async () => {
    let navigations = 0;
    page.on('framenavigated', () => (navigations += 1));
    const auditRowsBefore = await page.locator('[data-testid="audit-row"]').count();
    // Try running, unprotected guests until one needs confirmation (the kernel decides; protected ones are denied).
    const guests = running.jarvis.poller.current().snapshot?.guests.filter((guest) => guest.status === 'running' && !guest.template) ?? [];
    let ticketId: string | undefined;
    let vmid: number | undefined;
    for (const guest of guests) {
      const result = await mcp.callTool({ name: 'manage_vm', arguments: { vmid: guest.vmid, action: 'stop' } });
      const data = result.structuredContent as { status?: string; ticketId?: string } | undefined;
      if (data?.status === 'needs-confirmation' && data.ticketId) {
        ticketId = data.ticketId;
        vmid = guest.vmid;
        break;
      }
    }
    expect(ticketId, 'some running guest needs confirmation to stop').toBeDefined();
    const card = page.getByTestId(`approval-${ticketId}`);
    await card.waitFor({ timeout: 5_000 });
    expect(await card.getAttribute('data-status')).toBe('pending');
    expect(await card.textContent()).toMatch(/token:claude-desktop/);
    // The decision row of the MCP proposal, live (the audit table was loaded before it existed).
    await expect.poll(() => page.locator('[data-testid="audit-row"][data-action="guest.stop"]').count(), { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="audit-row"]').count()).toBeGreaterThan(auditRowsBefore);

    await card.getByRole('button', { name: 'Approve' }).click();
    const task = page.locator(`[data-testid="task"][data-vmid="${vmid}"]`).first();
    await task.waitFor({ timeout: 10_000 });
    await expect.poll(() => task.getAttribute('data-status'), { timeout: 15_000 }).toBe('stopped');
    await expect.poll(() => page.locator('[data-testid="audit-row"][data-verdict="result"]').count(), { timeout: 5_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId(`guest-${vmid}`).getAttribute('data-status'), { timeout: 5_000 }).toBe('stopped');
    expect(navigations).toBe(0);
  });

  it('lists a PVE task started outside Jarvis, and keeps the list across a reload', async () => {
    const sim = running.simulator!;
    const login = await pveRequest(sim.url, '/access/ticket', { method: 'POST', body: { username: sim.username, password: sim.password } });
    expect(login.status).toBe(200);
    const { ticket, CSRFPreventionToken: csrf } = login.json.data as { ticket: string; CSRFPreventionToken: string };
    const stopped = running.jarvis.poller.current().snapshot?.guests.find((guest) => guest.status === 'stopped' && !guest.template && guest.type === 'qemu');
    expect(stopped, 'a stopped VM in the seed world').toBeDefined();
    const started = await pveRequest(sim.url, `/nodes/${stopped!.node}/qemu/${stopped!.vmid}/status/start`, {
      method: 'POST',
      headers: { cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}`, CSRFPreventionToken: csrf },
    });
    expect(started.status, started.text).toBe(200);
    const upid = started.json.data as string;
    const row = page.locator(`[data-testid="task"][data-upid="${upid}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('root@pam');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 15_000 }).toBe('stopped');

    await page.reload();
    await page.locator('[data-testid="connection-dot"][data-status="connected"]').waitFor({ timeout: 10_000 });
    await page.locator(`[data-testid="task"][data-upid="${upid}"]`).waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-testid="task"]').count()).toBeGreaterThan(1);
  });
});
