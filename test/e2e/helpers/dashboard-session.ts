/**
 * A logged-in dashboard in headless chromium against the scripted server, plus a load generator
 * that pushes metric updates through the real data path (WS frame -> zod -> socket controller ->
 * store -> ring buffers -> charts). Shared by the e2e suite and the dashboard benches.
 */
import type { Browser, Page } from 'playwright-core';
import type { ServerMessage, SnapshotDto } from '../../../src/protocol/index.ts';
import { launchBrowser } from './browser.ts';
import { ensureWebBuild } from './build-web.ts';
import { FakeJarvis } from './fake-jarvis.ts';

export interface DashboardSession {
  readonly server: FakeJarvis;
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

/** Opens a signed-in dashboard; the viewport defaults to 1400×1000 (the older benches' size). */
export async function openDashboard(
  options: { mode?: string; query?: string; browserArgs?: string[]; guests?: number; viewport?: { width: number; height: number } } = {},
): Promise<DashboardSession> {
  const webRoot = await ensureWebBuild();
  const server = new FakeJarvis({ webRoot, ...(options.guests ? { guests: options.guests } : {}) });
  await server.start();
  const browser = await launchBrowser(options.browserArgs ?? []);
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 1000 } });
  if (options.mode) await context.addInitScript((mode) => window.localStorage.setItem('jarvis.visualMode', mode), options.mode);
  const page = await context.newPage();
  await page.goto(`${server.url}/${options.query ?? ''}`);
  await page.getByLabel('Password').fill('secret');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-testid="connection-dot"][data-status="connected"]').waitFor({ timeout: 10_000 });
  await page.getByTestId('node-pve').waitFor();
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.stop();
    },
  };
}

/**
 * One delta in which every node and guest gets new CPU and memory figures: `entities` metric
 * updates (one update = one sample of one node or guest). Advances the server's snapshot.
 */
export function metricDelta(server: FakeJarvis, step: number, takenAt: number): { message: ServerMessage; updates: number } {
  const prev: SnapshotDto = server.snapshot;
  const wave = (index: number) => 0.5 + 0.45 * Math.sin((step + index * 7) / 10);
  const nodes = prev.nodes.map((node, index) =>
    node.status === 'online' && node.maxmem ? { ...node, cpu: wave(index), mem: Math.round(node.maxmem * wave(index + 3) * 0.9) } : node,
  );
  const guests = prev.guests.map((guest, index) =>
    guest.status === 'running' && guest.maxmem ? { ...guest, cpu: wave(index + 11), mem: Math.round(guest.maxmem * wave(index + 5) * 0.9) } : guest,
  );
  const version = prev.version + 1;
  server.snapshot = { ...prev, version, takenAt, nodes, guests };
  return {
    message: {
      type: 'delta',
      payload: { fromVersion: prev.version, version, takenAt, upsert: { nodes, guests, storage: [] }, remove: { nodes: [], guests: [], storage: [] } },
    },
    updates: nodes.length + guests.length,
  };
}

/** Waits until every socket's send buffer drained below `bytes` (backpressure for the load generator). */
export async function drained(server: FakeJarvis, bytes = 1 << 20): Promise<void> {
  for (;;) {
    let pending = 0;
    for (const socket of server.sockets) pending = Math.max(pending, socket.bufferedAmount);
    if (pending < bytes) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
