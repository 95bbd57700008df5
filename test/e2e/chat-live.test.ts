/**
 * The chat agent end to end, as `npm start` runs it with no model configured: the real server
 * (startJarvis, in-process) on the embedded simulator with its simulated models (the llama-server
 * and Anthropic fakes, over the wire through the production AI SDK clients), and a signed-in admin
 * in headless chromium typing into the chat panel.
 *
 * One conversation: a request the offline parser cannot settle goes to the simulated local model,
 * which calls manage_vm; the kernel sends the red stop for approval, the chat shows the tool card
 * with an inline approval card, the human approves it there, and the VM stops in the simulator and
 * in the dashboard. Then the local model goes down (the fake reports "Loading model") and the next
 * answer comes from the simulated Claude, with the escalation reason shown under the answer.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJarvis, type RunningJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { launchBrowser } from './helpers/browser.ts';
import { ensureWebBuild } from './helpers/build-web.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dataDir: string;
let running: RunningJarvis;

beforeAll(async () => {
  await ensureWebBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
  dataDir = mkdtempSync(join(tmpdir(), 'jarvis-e2e-chat-'));
  const started = await startJarvis({
    argv: ['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--poll-interval-ms', '1000'],
    env: {},
    simulator: { authDelayMs: 0, taskDurationMs: 1_500, metricsIntervalMs: 0 },
    buildWeb: false,
    logger: silentLogger,
    defaultMetrics: false,
  });
  if (!started.ok) throw new Error(`jarvis start failed: ${started.error.code} ${started.error.message}`);
  running = started.value;
  expect(running.simulator?.llm, 'npm start with no model configured serves the simulated models').toBeDefined();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  page = await context.newPage();
  await page.goto(running.url);
  await page.getByLabel('Password').fill(running.admin.generatedPassword ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-testid="connection-dot"][data-status="connected"]').waitFor({ timeout: 10_000 });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function ask(text: string): Promise<ReturnType<Page['locator']>> {
  const turns = page.locator('.chat-turn');
  const before = await turns.count();
  await page.locator('#chat-input').fill(text);
  await page.locator('#chat-input').press('Enter');
  await expect.poll(() => turns.count(), { timeout: 10_000 }).toBe(before + 1);
  const turn = turns.nth(before);
  await turn.getByTestId('chat-meta').waitFor({ timeout: 30_000 });
  return turn;
}

describe('chat against the simulated models, in the dashboard', () => {
  it('a model-proposed red stop shows a tool card with an inline approval; approving it in the chat stops the VM', async () => {
    await expect.poll(() => page.getByTestId('chat-status').textContent(), { timeout: 10_000 }).toMatch(/simulated/);
    // A running VM the kernel would stop only with a human's approval (protected ones are denied).
    const guests =
      running.jarvis.poller.current().snapshot?.guests.filter((guest) => guest.type === 'qemu' && guest.status === 'running' && !guest.template) ?? [];
    let vmid: number | undefined;
    for (const guest of guests) {
      const plan = await running.jarvis.executor.plan({
        kind: 'guest.stop',
        target: { type: 'guest', vmid: guest.vmid, node: guest.node },
        params: {},
        actor: { kind: 'model', modelId: 'simulated model' },
        reason: 'e2e',
      });
      if (plan.ok && plan.value.verdict !== 'deny' && plan.value.verdict !== 'allow') {
        vmid = guest.vmid;
        break;
      }
    }
    expect(vmid, 'a running VM whose stop needs approval').toBeDefined();
    const log = running.simulator!.llm!.local;
    const requestsBefore = log.requests.list().length;

    // Not a command the offline parser settles (it would ask which action), so the model answers.
    const turn = await ask(`hey jarvis, vm ${vmid} needs to stop right now`);
    expect(log.requests.list().length, 'the simulated llama-server was called').toBeGreaterThan(requestsBefore);
    expect(await turn.getByTestId('chat-origin').textContent()).toMatch(/simulated model/);
    const card = turn.getByTestId('tool-card').first();
    expect(await card.textContent()).toContain('manage_vm');
    expect(await card.textContent()).toContain(String(vmid));
    const approval = card.getByTestId('approval-card');
    await approval.waitFor({ timeout: 5_000 });
    expect(await turn.getByTestId('chat-meta').textContent()).toMatch(/stopped: needs.confirmation/);
    expect(running.jarvis.poller.current().snapshot?.guests.find((guest) => guest.vmid === vmid)?.status, 'nothing ran before the approval').toBe('running');

    await approval.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => approval.getByRole('status').textContent(), { timeout: 10_000 }).toBe('approved');
    await expect.poll(() => page.getByTestId(`guest-${vmid}`).getAttribute('data-status'), { timeout: 20_000 }).toBe('stopped');
    await page.locator('#chat').screenshot({ path: join(ARTIFACTS, 'chat-approval-1440.png') });
    const world = running.simulator!.world.guest(vmid!);
    expect(world?.status).toBe('stopped');
  });

  it('with the local model down: the pinned conversation says so and answers offline; a new one is answered by the simulated Claude, with the reason', async () => {
    const local = running.simulator!.llm!.local;
    local.setLoading(true);
    const cloudBefore = running.simulator!.llm!.cloud.requests.list().length;
    try {
      // The conversation above is pinned to the local model: it never switches model mid-conversation.
      const pinned = await ask('hey jarvis, write me a short limerick about the cluster nodes');
      expect(await pinned.getByTestId('chat-origin').textContent()).toMatch(/offline/);
      expect(await pinned.getByTestId('chat-meta').textContent()).toMatch(/escalation: .*Loading model/);
      expect(running.simulator!.llm!.cloud.requests.list().length).toBe(cloudBefore);

      await page.locator('#chat-conversation').selectOption('');
      await expect.poll(() => page.locator('.chat-turn').count(), { timeout: 5_000 }).toBe(0);
      const fresh = await ask('hey jarvis, write me a short limerick about the cluster nodes');
      expect(await fresh.getByTestId('chat-origin').textContent()).toMatch(/simulated model/);
      expect(await fresh.getByTestId('chat-meta').textContent()).toMatch(/escalation: /);
      expect(await page.locator('#chat').textContent(), 'a new conversation on the same socket is no frame gap').not.toContain('streamed frames were lost');
      expect(running.simulator!.llm!.cloud.requests.list().length, 'the simulated Claude answered').toBeGreaterThan(cloudBefore);
      await page.locator('#chat').screenshot({ path: join(ARTIFACTS, 'chat-degraded-1440.png') });
    } finally {
      local.setLoading(false);
    }
  });

  it('honest states: the AI switched off shows offline mode and answers offline; the Stop button ends a running turn', async () => {
    const setAi = async (aiEnabled: boolean) => {
      const response = await page.request.put(`${running.url}/api/settings`, { data: { aiEnabled }, headers: { origin: running.url } });
      expect(response.status()).toBe(200);
    };
    await page.locator('#chat-conversation').selectOption('');
    await setAi(false);
    try {
      await expect.poll(() => page.getByTestId('chat-status').textContent(), { timeout: 10_000 }).toBe('offline mode');
      expect(await page.getByTestId('chat-banner').textContent()).toMatch(/AI is off/);
      expect(await page.locator('#chat-input').getAttribute('placeholder')).toMatch(/^Offline mode/);
      const offline = await ask('hey jarvis, write me a short limerick about the cluster nodes');
      expect(await offline.getByTestId('chat-origin').textContent()).toMatch(/offline/);
    } finally {
      await setAi(true);
    }
    await expect.poll(() => page.getByTestId('chat-status').textContent(), { timeout: 10_000 }).toMatch(/simulated/);

    // A model that takes its time (both simulated models, whichever the route picks): Stop ends the turn.
    const slow = { match: 'take your time', text: 'too late', delayMs: 120_000 };
    running.simulator!.llm!.local.script.push(slow);
    running.simulator!.llm!.cloud.script.push(slow);
    await page.locator('#chat-conversation').selectOption('');
    const turns = page.locator('.chat-turn');
    const before = await turns.count();
    await page.locator('#chat-input').fill('hey jarvis, take your time and write a limerick about the nodes');
    await page.locator('#chat-input').press('Enter');
    const stop = page.getByTestId('chat-stop');
    await stop.waitFor({ timeout: 10_000 });
    expect(await page.locator('#chat-input').isDisabled(), 'no second message while a turn runs').toBe(true);
    await stop.click();
    const turn = turns.nth(before);
    await turn.getByTestId('chat-meta').waitFor({ timeout: 15_000 });
    expect(await turn.getByTestId('chat-meta').textContent()).toMatch(/stopped: aborted/);
    expect(await stop.count()).toBe(0);
    expect(await page.locator('#chat-input').isDisabled()).toBe(false);
  });
});
