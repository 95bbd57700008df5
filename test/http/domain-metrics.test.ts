/**
 * The action, ticket and alert series of GET /metrics, fed by the domain event bus: driven through
 * the real app on the simulator (guarded executor, SQLite ticket store, the monitor's alert book)
 * and read back by scraping /metrics as Prometheus would.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteTicketStore } from '../../src/adapters/sqlite/index.ts';
import { watchTicketExpiry } from '../../src/app/events/ticket-expiry.ts';
import type { Action } from '../../src/core/domain/action.ts';
import { startTestJarvis, type TestJarvis } from '../helpers/start-test-jarvis.ts';

let jarvis: TestJarvis;
let cookie: string;

/** One sample's value from the exposition text (0 when the series is absent). */
function sample(body: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of body.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[3] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value) && Object.keys(found).length === Object.keys(labels).length)
      return Number(match[4]);
  }
  return 0;
}

async function scrape(): Promise<string> {
  const response = await fetch(`${jarvis.running.url}/metrics`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return response.text();
}

const user = { kind: 'user', id: 'alice' } as const;
const action = (kind: Action['kind'], target: Action['target']): Action => ({ kind, target, params: {}, actor: user, reason: 'metrics test' }) as Action;

beforeAll(async () => {
  jarvis = await startTestJarvis({ prefix: 'jarvis-domain-metrics-' });
  const { url, admin } = jarvis.running;
  const login = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username: 'admin', password: admin.generatedPassword }),
  });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  await jarvis.running.jarvis.poller.tick();
}, 60_000);

afterAll(async () => {
  await jarvis?.close();
});

describe('GET /metrics: actions, tickets and alerts from the domain event bus', () => {
  it('counts actions by kind and verdict, and their outcomes', async () => {
    const { executor } = jarvis.running.jarvis;
    const before = await scrape();
    const restart = await executor.propose(action('container.restart', { type: 'container', host: 'docker@103', name: 'uptime-kuma' }));
    expect(restart.status, JSON.stringify(restart)).toBe('done');
    const denied = await executor.propose(action('container.stop', { type: 'container', host: 'docker@103', name: 'jarvis' }));
    expect(denied.status).toBe('denied');
    const after = await scrape();
    const delta = (labels: Record<string, string>, name = 'jarvis_actions_total') => sample(after, name, labels) - sample(before, name, labels);
    expect(delta({ kind: 'container.restart', verdict: 'allow-notify' }) + delta({ kind: 'container.restart', verdict: 'allow' })).toBe(1);
    expect(delta({ kind: 'container.stop', verdict: 'deny' })).toBe(1);
    expect(delta({ kind: 'container.restart', outcome: 'ok' }, 'jarvis_action_results_total')).toBe(1);
    expect(delta({ kind: 'container.stop', outcome: 'ok' }, 'jarvis_action_results_total')).toBe(0);
  });

  it('counts tickets opened, approved, rejected and expired, and the pending gauge follows', async () => {
    const { executor, bus } = jarvis.running.jarvis;
    const before = await scrape();
    const start = (vmid: number) => executor.propose(action('guest.start', { type: 'guest', vmid }));
    const first = await start(104);
    const second = await start(110);
    if (first.status !== 'needs-confirmation' || second.status !== 'needs-confirmation')
      throw new Error(`expected tickets, got ${first.status}/${second.status}`);
    expect(sample(await scrape(), 'jarvis_tickets_pending') - sample(before, 'jarvis_tickets_pending')).toBe(2);
    await executor.approve(first.approval.id, { id: 'bob', role: 'admin', kind: 'user' });
    await executor.reject(second.approval.id, { id: 'bob', role: 'admin', kind: 'user' }, 'not now');

    // Expiry: the app's own expiry watcher on a second connection to the same SQLite ticket store,
    // with a clock ten minutes ahead (the ticket TTL is five): it publishes ticket.expired on the bus.
    const store = SqliteTicketStore.open(join(jarvis.dir, 'data', 'state.db'));
    if (!store.ok) throw new Error(store.error.message);
    const expired = new Promise<string>((resolve) => {
      const off = bus.on('ticket.expired', (payload) => {
        off();
        resolve(payload.ticketId);
      });
    });
    const stopWatch = watchTicketExpiry({ events: bus, tickets: store.value, clock: { now: () => Date.now() + 10 * 60_000 } });
    try {
      const third = await start(204);
      if (third.status !== 'needs-confirmation') throw new Error(`expected a ticket, got ${third.status}`);
      expect(await expired).toBe(third.approval.id);
    } finally {
      stopWatch();
    }

    const after = await scrape();
    const delta = (event: string) => sample(after, 'jarvis_tickets_total', { event }) - sample(before, 'jarvis_tickets_total', { event });
    expect([delta('opened'), delta('approved'), delta('rejected'), delta('expired')]).toEqual([3, 1, 1, 1]);
    expect(sample(after, 'jarvis_tickets_pending') - sample(before, 'jarvis_tickets_pending')).toBe(0);
    expect(delta('approved') + delta('rejected') + delta('expired')).toBe(delta('opened'));
  });

  it('counts alerts opened and resolved by rule and severity; the open gauge follows', async () => {
    const { monitor, poller } = jarvis.running.jarvis;
    if (!monitor) throw new Error('the monitor is on by default (config monitor.enabled)');
    const simulator = jarvis.running.simulator!;
    const before = await scrape();
    simulator.world.applyFault({ kind: 'guest-crash', vmid: 102 });
    let opened: { id: string; rule: string; severity: string } | undefined;
    for (let attempt = 0; attempt < 5 && !opened; attempt += 1) {
      await monitor.evaluate(await poller.tick());
      opened = monitor.list({ status: 'active' }).find((alert) => alert.rule === 'guest-crashed');
    }
    if (!opened) throw new Error('the guest-crash fault raised no alert');
    const labels = { rule: opened.rule, severity: opened.severity };
    const during = await scrape();
    expect(sample(during, 'jarvis_alerts_total', { ...labels, event: 'opened' }) - sample(before, 'jarvis_alerts_total', { ...labels, event: 'opened' })).toBe(
      1,
    );
    expect(sample(during, 'jarvis_alerts_open', labels)).toBe(sample(before, 'jarvis_alerts_open', labels) + 1);

    await monitor.command(opened.id, { kind: 'resolve', by: 'user:admin' });
    const after = await scrape();
    expect(
      sample(after, 'jarvis_alerts_total', { ...labels, event: 'resolved' }) - sample(before, 'jarvis_alerts_total', { ...labels, event: 'resolved' }),
    ).toBe(1);
    expect(sample(after, 'jarvis_alerts_open', labels)).toBe(sample(before, 'jarvis_alerts_open', labels));
  });

  it('also exposes WS clients, poll duration, LLM spend and slot use', async () => {
    await jarvis.running.jarvis.models!.refreshCapacity();
    const body = await scrape();
    for (const name of [
      'jarvis_ws_connections',
      'jarvis_poll_duration_seconds_count',
      'jarvis_approvals_pending',
      'jarvis_build_info',
      'jarvis_llm_spend_usd{cap="daily"}',
      'jarvis_llm_in_flight{class="user"}',
      'jarvis_llm_queued{class="background"}',
    ]) {
      expect(body, name).toContain(`\n${name}`);
    }
    // The simulated llama-server reports 4 slots (src/sim/llm).
    expect(sample(body, 'jarvis_llm_slots')).toBe(4);
    // With the action, ticket and alert series now carrying samples, Prometheus's linter still agrees.
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8', timeout: 30_000 });
    expect(lint.error, 'promtool not found: apt-get install prometheus (.ci/run does)').toBeUndefined();
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  });
});
