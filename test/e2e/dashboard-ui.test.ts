/**
 * The dashboard in headless chromium against a scripted server that speaks the real wire protocol
 * (helpers/fake-jarvis.ts): login, unknown figures, offline nodes, stale data, reconnect with a full
 * refresh, seq gaps, actions, and axe-core in the three visual modes.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, runAxe } from './helpers/browser.ts';
import { ensureWebBuild } from './helpers/build-web.ts';
import { FakeJarvis } from './helpers/fake-jarvis.ts';

let browser: Browser;
let webRoot: string;
let server: FakeJarvis;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  webRoot = await ensureWebBuild();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  server = new FakeJarvis({ webRoot });
  await server.start();
  context = await browser.newContext();
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
  await server?.stop();
});

async function login(query = ''): Promise<void> {
  await page.goto(`${server.url}/${query}`);
  await page.getByLabel('Password').fill('secret');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('connection-dot').and(page.locator('[data-status="connected"]')).waitFor({ timeout: 5_000 });
}

describe('dashboard (scripted server)', () => {
  it('logs in and shows the 4 nodes, with unknown figures as a dash', async () => {
    await page.goto(server.url);
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong user name or password');
    await login();
    for (const name of ['Home', 'pve', 'agent1', 'agent']) {
      expect(await page.getByTestId(`node-${name}`).getAttribute('data-status')).toBe('online');
    }
    const qemuWithoutAgent = await page.getByTestId('guest-101').locator('td[data-label="Disk"]').textContent();
    expect(qemuWithoutAgent).toBe('—');
    const stoppedMemory = await page.getByTestId('guest-102').locator('td[data-label="Memory"]').textContent();
    expect(stoppedMemory).toBe('—');
    expect(await page.locator('.node-card svg.ring').count()).toBe(4);
  });

  it('draws a node rrddata history on its page; live samples keep feeding the store', async () => {
    await login('?bench');
    const points = (key: string) => page.evaluate(`window.__jarvisStore.metrics.get(${JSON.stringify(key)})?.time.length ?? 0`);
    await expect.poll(() => points('node:pve'), { timeout: 3_000 }).toBe(1);
    server.update((snapshot) => snapshot);
    await expect.poll(() => points('node:pve'), { timeout: 3_000 }).toBe(2);
    await page.getByRole('link', { name: 'pve', exact: true }).first().click();
    await expect.poll(() => page.getByTestId('history-chart').getAttribute('data-samples'), { timeout: 3_000 }).toBe('10');
  });

  it('shows an offline node as offline with last-known values and their age, never as live', async () => {
    await login();
    server.update((snapshot) => ({
      ...snapshot,
      quorum: { ...snapshot.quorum, votesOnline: 3 },
      nodes: snapshot.nodes.map((node) => (node.name === 'agent' ? { name: 'agent', status: 'offline' as const, votes: 1 } : node)),
    }));
    const card = page.getByTestId('node-agent');
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 1_000 }).toBe('offline');
    expect(await card.getByTestId('last-known').textContent()).toMatch(/Last known values, \d+ s old — not live/);
    expect(await card.textContent()).toContain('6.0 GiB / 16.0 GiB');
    // Its guest (still "running" in the snapshot, as PVE may report it) is not shown as live either.
    const guest = page.getByTestId('guest-200');
    expect(await guest.getAttribute('data-status')).toBe('unknown');
    expect(await guest.getByTestId('guest-last-known').textContent()).toMatch(/node offline: last known, \d+ s old — not live/);
    expect(await guest.locator('td.status').textContent()).toBe('? unknown (was running)');
    // Storage seen through the offline node is not live either (the demo has none there: add one).
    server.update((snapshot) => ({
      ...snapshot,
      storage: [
        ...snapshot.storage,
        { id: 'storage/agent/local', storage: 'local', node: 'agent', type: 'dir', status: 'available', shared: false, content: ['iso'], used: 1, total: 2 },
      ],
    }));
    const storage = page.getByTestId('storage-storage/agent/local');
    await expect.poll(() => storage.getAttribute('data-status'), { timeout: 1_000 }).toBe('unknown');
    expect(await storage.locator('td').nth(4).textContent()).toBe('—');
  });

  it('turns the dot red and shows the stale banner when the server stops, then recovers with a full refresh', async () => {
    await login('?staleWarnMs=1000&staleBannerMs=2000');
    await server.stop();
    await expect.poll(() => page.getByTestId('connection-dot').getAttribute('data-status'), { timeout: 8_000 }).toBe('disconnected');
    await page.getByTestId('stale-banner').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('stale-banner').textContent()).toContain('Disconnected from Jarvis');
    // While down the cluster changed; the page must show it after reconnecting, without any delta.
    server.snapshot = { ...server.snapshot, version: 50, takenAt: Date.now(), guests: server.snapshot.guests.filter((guest) => guest.vmid !== 200) };
    server.seq = 40;
    await server.start();
    // Backoff 1, 2, 4, 8 s (+ up to 30 % jitter): the next attempt after the restart is at most ~16 s away.
    await expect.poll(() => page.getByTestId('connection-dot').getAttribute('data-status'), { timeout: 20_000 }).toBe('connected');
    await expect.poll(() => page.getByTestId('guest-200').count()).toBe(0);
    server.update((snapshot) => snapshot); // the next poll: fresh data again
    await expect.poll(() => page.getByTestId('stale-banner').count()).toBe(0);
  });

  it('ages the audit section by the live feed, not by its first fetch (no false stale warning)', async () => {
    await login('?staleWarnMs=1500&staleBannerMs=3000');
    const age = page.locator('#audit [data-testid="data-age"]');
    await age.waitFor();
    await page.waitForTimeout(2_000); // the page fetched /api/audit once, 2 s ago
    server.update((snapshot) => snapshot); // a live frame: the feed (audit-append included) is current
    await expect.poll(() => age.getAttribute('data-level'), { timeout: 1_500 }).toBe('fresh');
    await server.stop(); // no frame any more: the audit section ages like the rest
    await expect.poll(() => age.getAttribute('data-level'), { timeout: 5_000 }).not.toBe('fresh');
  });

  it('says why when the server refuses the live connection (1013 too many clients), and clears it once live', async () => {
    await login();
    server.refuseWith = { code: 1013, reason: 'try again later: too many clients (max 20)' };
    for (const socket of server.sockets) socket.terminate();
    const notice = page.getByTestId('close-reason');
    await notice.waitFor({ timeout: 5_000 });
    expect(await notice.textContent()).toContain('too many clients (max 20) (1013)');
    expect(await page.getByTestId('connection-dot').getAttribute('data-status')).not.toBe('connected');
    server.refuseWith = undefined;
    await expect.poll(() => page.getByTestId('connection-dot').getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    expect(await notice.count()).toBe(0);
  });

  it('shows the login page when the server restarted and forgot the session', async () => {
    await login();
    await server.stop();
    server.cookie = 'fake_session=new';
    await server.start();
    await page.getByLabel('Password').waitFor({ timeout: 10_000 });
    await page.getByLabel('Password').fill('secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('connection-dot').getAttribute('data-status'), { timeout: 5_000 }).toBe('connected');
  });

  it('refetches full state over HTTP when it sees a seq gap', async () => {
    await login();
    server.snapshot = { ...server.snapshot, version: 9, takenAt: Date.now(), guests: server.snapshot.guests.filter((guest) => guest.vmid !== 101) };
    server.seq += 1; // a frame the client never received
    server.broadcast([{ type: 'heartbeat', payload: {} }]);
    await expect.poll(() => page.getByTestId('guest-101').count(), { timeout: 2_000 }).toBe(0);
  });

  it('shows denied reasons and "needs confirmation" from POST /api/actions', async () => {
    await login();
    server.actionAnswer = { status: 'denied', reasons: ['VM 103 is protected: it runs Jarvis'] };
    await page.getByRole('button', { name: 'Stop VM 103 (jarvis-mgmt)' }).click();
    await expect.poll(() => page.getByTestId('outcome-103').textContent()).toContain('Denied: VM 103 is protected');
    server.actionAnswer = {
      status: 'needs-confirmation',
      approval: {
        id: 't-1',
        createdAt: Date.now(),
        expiresAt: Date.now() + 600_000,
        status: 'pending',
        requestedBy: 'user:admin',
        action: 'guest.stop',
        target: 'vm 101 (web01) on pve',
        tier: 'red',
        reasons: ['hard stop of a running VM'],
        blastRadius: { items: [{ kind: 'guest', id: '101', label: 'web01', via: 'direct' }] },
        plan: { steps: ['qm stop 101 on pve'] },
      },
    };
    await page.getByRole('button', { name: 'Stop VM 101 (web01)' }).click();
    // The inline confirmation opens with the plan; without an action hash it points to the queue.
    const confirm = page.getByTestId('confirm-101');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('qm stop 101 on pve');
    expect(await confirm.getByRole('button', { name: 'Confirm Stop' }).isDisabled()).toBe(true);
    const approval = page.getByTestId('approval-t-1');
    expect(await approval.textContent()).toContain('qm stop 101 on pve');
    // the admin's own proposal: no Approve (the server refuses it), confirm inline or wait for another approver
    expect(await approval.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await approval.textContent()).toContain('Yours — confirm it inline');
  });

  it('approves a red action: the ticket resolves, the task runs to completion and the audit row appears', async () => {
    await login();
    server.approvals = [
      {
        id: 't-9',
        createdAt: Date.now(),
        expiresAt: Date.now() + 600_000,
        status: 'pending',
        requestedBy: 'model:qwen2.5-7b',
        action: 'guest.stop',
        target: 'vm 101 (web01) on pve',
        tier: 'red',
        reasons: ['hard stop of a running VM'],
        blastRadius: { items: [{ kind: 'guest', id: '101', label: 'web01', via: 'direct' }] },
        plan: { steps: ['qm stop 101 on pve'] },
      },
    ];
    await page.reload();
    const card = page.getByTestId('approval-t-9');
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByTestId('task').first().getAttribute('data-status'), { timeout: 3_000 }).toBe('stopped');
    expect(await page.getByTestId('task').first().textContent()).toContain('✔ OK');
    expect(await card.getAttribute('data-status')).toBe('executed');
    await expect.poll(() => page.locator('[data-testid="audit-row"][data-action="guest.stop"]').count(), { timeout: 3_000 }).toBe(1);
  });

  it('rejects a pending approval', async () => {
    server.approvals = [
      {
        id: 't-r',
        createdAt: Date.now(),
        expiresAt: Date.now() + 600_000,
        status: 'pending',
        requestedBy: 'model:qwen2.5-7b',
        action: 'guest.reboot',
        target: 'vm 200 (dns) on agent',
        tier: 'red',
        reasons: [],
        blastRadius: { items: [] },
        plan: { steps: ['pct reboot 200'] },
      },
    ];
    await login();
    const card = page.getByTestId('approval-t-r');
    await card.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => card.getAttribute('data-status'), { timeout: 3_000 }).toBe('rejected');
    expect(await card.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await card.textContent()).toContain('rejected by user:admin');
  });

  it('the heap guard resets the buffers and reconnects once the heap passes its limit', async () => {
    await login('?heapLimitMb=1&bench');
    // With a 1 MB limit the guard may fire before this line runs on a loaded machine: wait for
    // exactly one controlled reconnect (a second connection, not a reconnect loop).
    expect(server.connections).toBeGreaterThanOrEqual(1);
    await expect.poll(() => server.connections, { timeout: 12_000, interval: 250 }).toBe(2);
    expect(await page.getByTestId('heap').textContent()).toContain('⚠');
    await expect.poll(() => page.getByTestId('connection-dot').getAttribute('data-status')).toBe('connected');
    expect(await page.getByTestId('node-pve').getAttribute('data-status')).toBe('online');
    // Buffers were reset: the chart restarted from the refetched snapshot (+ its history seed).
    expect(await page.evaluate(`window.__jarvisStore.metrics.get('node:pve').time.length`)).toBeLessThanOrEqual(11);
  });

  it('a viewer cannot approve, act, freeze or switch the AI (no such inputs are offered)', async () => {
    server.role = 'viewer';
    server.approvals = [
      {
        id: 't-v',
        createdAt: Date.now(),
        expiresAt: Date.now() + 600_000,
        status: 'pending',
        requestedBy: 'user:op',
        action: 'guest.stop',
        target: 'vm 101 (web01) on pve',
        tier: 'red',
        reasons: [],
        blastRadius: { items: [] },
        plan: { steps: ['qm stop 101'] },
      },
    ];
    await login();
    const card = page.getByTestId('approval-t-v');
    await card.waitFor();
    // a viewer is not offered Approve / Reject at all (not even disabled)
    expect(await card.getByRole('button').count()).toBe(0);
    expect(await card.textContent()).toContain('Waiting for an operator or admin');
    // inputs a viewer cannot use are not offered at all
    expect(await page.getByRole('button', { name: 'Stop VM 101 (web01)' }).count()).toBe(0);
    expect(await page.getByTestId('emergency-stop').count()).toBe(0);
    expect(await page.getByTestId('ai-toggle').count()).toBe(0);
  });

  for (const mode of ['ops', 'jarvis', 'minimal'] as const) {
    it(`has no contrast, serious or critical axe violations in ${mode} mode`, async () => {
      // Short thresholds: the stale warnings and the banner are on screen too, with an offline node
      // and its guest in last-known style (every warning text is checked for contrast).
      await login('?staleWarnMs=1000&staleBannerMs=2000');
      server.update((snapshot) => ({
        ...snapshot,
        nodes: snapshot.nodes.map((node) => (node.name === 'agent' ? { name: 'agent', status: 'offline' as const, votes: 1 } : node)),
      }));
      await page.getByTestId('guest-last-known').waitFor({ timeout: 3_000 });
      await page.getByTestId('mode-select').selectOption(mode);
      expect(await page.evaluate(() => document.documentElement.dataset.mode)).toBe(mode);
      await page.getByRole('button', { name: 'Stop VM 101 (web01)' }).click();
      await page.getByTestId('stale-banner').waitFor({ timeout: 5_000 });
      await page.locator('[data-testid="data-age"][data-level="warn"], [data-testid="data-age"][data-level="stale"]').first().waitFor({ timeout: 5_000 });
      const violations = await runAxe(page);
      const bad = violations.filter((violation) => violation.id === 'color-contrast' || violation.impact === 'serious' || violation.impact === 'critical');
      expect(bad.map((violation) => `${violation.id}: ${JSON.stringify(violation.nodes.slice(0, 3))}`)).toEqual([]);
    });
  }

  it('has no serious or critical axe violations on the login page', async () => {
    await page.goto(server.url);
    await page.getByLabel('Password').waitFor();
    const bad = (await runAxe(page)).filter(
      (violation) => violation.id === 'color-contrast' || violation.impact === 'serious' || violation.impact === 'critical',
    );
    expect(bad.map((violation) => violation.id)).toEqual([]);
  });

  it('animates nothing in Ops, only transform and opacity in JARVIS, and nothing with reduced motion or in Minimal', async () => {
    await login();
    const animations = () =>
      page.evaluate(`document.getAnimations().map((animation) => ({
        target: animation.effect.target.className || String(animation.effect.pseudoElement),
        properties: animation.effect.getKeyframes().flatMap((frame) => Object.keys(frame).filter((key) => !['offset', 'computedOffset', 'easing', 'composite'].includes(key))),
      }))`) as Promise<{ target: string; properties: string[] }[]>;
    expect(await animations()).toEqual([]); // Ops: no motion
    await page.getByTestId('mode-select').selectOption('jarvis');
    const running = await animations();
    expect(running.length).toBeGreaterThan(0);
    expect([...new Set(running.flatMap((animation) => animation.properties))].sort()).toEqual(['opacity', 'transform']);
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.panel'), '::after').filter`)).toBe('none');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.scanlines')).animationName`)).toBe('none');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await page.getByTestId('mode-select').selectOption('minimal');
    expect(await animations()).toEqual([]);
  });

  it('persists the visual mode across reloads', async () => {
    await login();
    await page.getByTestId('mode-select').selectOption('minimal');
    await page.reload();
    await page.getByTestId('mode-select').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.mode)).toBe('minimal');
  });
});
