/**
 * The kernel's CLI commands in-process: plan (--schema, --snapshot, freeze honoured),
 * freeze/unfreeze (audited), approve against the embedded simulator (runs once, then refuses).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createGuardedExecutor } from '../../src/app/actions/execute-action.ts';
import { InMemoryNodeLocks } from '../doubles/in-memory-node-locks.ts';
import { loadConfig } from '../../src/config/index.ts';
import { ok } from '../../src/core/errors.ts';
import { run as approve } from '../../src/cli/commands/approve.ts';
import { run as audit } from '../../src/cli/commands/audit.ts';
import { run as freeze } from '../../src/cli/commands/freeze.ts';
import { kernelPaths, openKernelStores } from '../../src/cli/commands/kernel-context.ts';
import { run as plan } from '../../src/cli/commands/plan.ts';
import { run as unfreeze } from '../../src/cli/commands/unfreeze.ts';
import { act, seedSnapshot, USER } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'jarvis-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const snapshotFile = join(dir, 'snapshot.json');
writeFileSync(snapshotFile, JSON.stringify(seedSnapshot()));

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const writes: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { writes.push(String(chunk)); return true; });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { writes.push(String(chunk)); return true; });
  try {
    return { code: await run(), out: writes.join('') };
  } finally {
    spy.mockRestore();
    errSpy.mockRestore();
  }
}

const lines = (...values: unknown[]) => Readable.from([values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join('\n')]);
const restart = act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' }, {}, USER);

describe('jarvis plan', () => {
  it('prints the action JSON schema', async () => {
    const { code, out } = await capture(() => plan(['--schema']));
    expect(code).toBe(0);
    const schema = JSON.parse(out) as { properties: { kind: { enum: string[] } } };
    expect(schema.properties.kind.enum).toContain('guest.stop');
  });

  it('writes one decision per line against a snapshot file, executing nothing', async () => {
    const input = lines(act('guest.stop', { type: 'guest', vmid: 103 }), restart, '{"kind":"rm -rf /"}', 'not json');
    const { code, out } = await capture(() => plan(['--snapshot', snapshotFile, '--data-dir', dir], input));
    const decisions = out.trim().split('\n').map((line) => JSON.parse(line) as { verdict?: string; reasons?: string[]; error?: string });
    expect(decisions).toHaveLength(4);
    expect(decisions[0]!.verdict).toBe('deny');
    expect(decisions[0]!.reasons![0]).toContain('would stop Jarvis: jarvis -> docker@103 -> VM 103');
    expect(decisions[1]!.verdict).toBe('allow-notify');
    expect(decisions[2]!.error).toContain('invalid action');
    expect(decisions[3]!.error).toBe('not JSON');
    expect(code).toBe(1);
  });

  it('shows what each list blocks, and denies service acts on a never-act node (issue 8)', async () => {
    const listed = await capture(() => plan(['--lists']));
    expect(listed.code).toBe(0);
    const scopes = listed.out.trim().split('\n').map((line) => JSON.parse(line) as { list: string; blocks: string });
    expect(scopes.find((scope) => scope.list === 'safety.neverAct.nodes')?.blocks).toMatch(/its services/);
    const home = (kind: 'service.restart' | 'service.stop' | 'service.start') => act(kind, { type: 'service', node: 'Home', unit: 'pveproxy' }, {}, USER);
    const { out } = await capture(() => plan(['--snapshot', snapshotFile, '--data-dir', dir], lines(home('service.restart'), home('service.stop'), home('service.start'), act('cleanup.temp', { type: 'node', node: 'Home' }, { path: '/tmp' }, USER))));
    const decisions = out.trim().split('\n').map((line) => JSON.parse(line) as { verdict: string; reasons: string[] });
    expect(decisions.map((decision) => decision.verdict)).toEqual(['deny', 'deny', 'deny', 'deny']);
    for (const decision of decisions) expect(decision.reasons).toContain('node Home is on the never-act list');
  });
});

describe('jarvis plan on the embedded simulator (no --snapshot, no pve.url)', () => {
  it('decides against the simulated seed cluster', async () => {
    const input = lines(act('guest.stop', { type: 'guest', vmid: 103 }), act('guest.reboot', { type: 'guest', vmid: 101, name: 'media-server' }));
    const { code, out } = await capture(() => plan(['--data-dir', dir], input));
    const [self, media] = out.trim().split('\n').map((line) => JSON.parse(line) as { verdict: string; reasons: string[] });
    expect(self!.reasons[0]).toContain('would stop Jarvis');
    expect(media!.verdict).toBe('needs-confirmation');
    expect(code).toBe(0);
  });
});

describe('jarvis freeze / unfreeze', () => {
  it('denies every act while frozen, is audited, and lifts again', async () => {
    expect((await capture(() => freeze(['--reason', 'test', '--by', 'owner', '--data-dir', dir]))).code).toBe(0);
    const frozen = await capture(() => plan(['--snapshot', snapshotFile, '--data-dir', dir], lines(restart)));
    expect(JSON.parse(frozen.out).reasons[0]).toContain('emergency stop');
    expect((await capture(() => unfreeze(['--by', 'owner', '--data-dir', dir]))).code).toBe(0);
    const thawed = await capture(() => plan(['--snapshot', snapshotFile, '--data-dir', dir], lines(restart)));
    expect(JSON.parse(thawed.out).verdict).toBe('allow-notify');
    const verified = await capture(() => audit(['verify', '--data-dir', dir]));
    expect(verified.out).toContain('audit log OK: 2 records');
  });
});

describe('jarvis plan sees the server\'s node locks (shared state DB)', () => {
  it('denies acts while another process holds a node lock; reads still pass', async () => {
    const lockDir = mkdtempSync(join(dir, 'locks-'));
    const loaded = loadConfig({ argv: ['--data-dir', lockDir] });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const stores = openKernelStores(kernelPaths(loaded.value.config));
    if (!stores.ok) throw new Error(stores.error.message);
    stores.value.locks.tryAcquire({ node: 'agent', holder: 'server-task', acquiredAt: Date.now(), expiresAt: Date.now() + 600_000 }, Date.now());
    stores.value.close();
    const read = act('diagnostic.run', { type: 'node', node: 'pve' }, { command: 'uptime' }, USER);
    const { out } = await capture(() => plan(['--snapshot', snapshotFile, '--data-dir', lockDir], lines(restart, read)));
    const [acted, looked] = out.trim().split('\n').map((line) => JSON.parse(line) as { verdict: string; reasons: string[] });
    expect(acted!.verdict).toBe('deny');
    expect(acted!.reasons.join(' ')).toContain('node agent is under operation');
    expect(looked!.verdict).toBe('allow');
  });
});

/** Proposes `action` through an executor over the CLI's own stores (as the server would), so `jarvis approve` finds its ticket. */
async function proposeInCliStores(action: Parameters<ReturnType<typeof createGuardedExecutor>['propose']>[0], ticketId: string) {
    const loaded = loadConfig({ argv: ['--data-dir', dir] });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const stores = openKernelStores(kernelPaths(loaded.value.config));
    if (!stores.ok) throw new Error(stores.error.message);
    const executor = createGuardedExecutor({
      readSnapshot: async () => ok(seedSnapshot()), topology: loaded.value.config.topology, locks: new InMemoryNodeLocks(),
      audit: stores.value.audit, tickets: stores.value.tickets, settings: stores.value.settings,
      runner: { doRun: async () => { throw new Error('the proposer must not run a red action'); } },
      clock: { now: () => Date.now() }, newId: () => ticketId,
    });
  try {
    return await executor.propose(action);
  } finally {
    stores.value.close();
  }
}

describe('jarvis approve', () => {
  it('runs the stored action once against the embedded simulator, then refuses the reused ticket', async () => {
    const proposed = await proposeInCliStores(act('guest.reboot', { type: 'guest', vmid: 101 }), 'ticket-1');
    expect(proposed.status).toBe('needs-confirmation');

    const first = await capture(() => approve(['ticket-1', '--as', 'owner', '--data-dir', dir]));
    expect(first.out).toMatch(/^done: reboot VM 101/);
    expect(first.code).toBe(0);
    const second = await capture(() => approve(['ticket-1', '--as', 'owner', '--data-dir', dir]));
    expect(second.code).toBe(1);
    expect(second.out).toContain('denied');
    const verified = await capture(() => audit(['verify', '--data-dir', dir]));
    expect(verified.code).toBe(0);
  });

  it('leaves a ticket it cannot run (a container stop needs the server\'s Docker runner) pending', async () => {
    const proposed = await proposeInCliStores(act('container.stop', { type: 'container', host: 'docker@103', name: 'nginx' }), 'ticket-container');
    expect(proposed.status).toBe('needs-confirmation');
    const attempt = await capture(() => approve(['ticket-container', '--data-dir', dir]));
    expect(attempt.code).toBe(1);
    expect(attempt.out).toContain('the CLI cannot run container.stop');
    const loaded = loadConfig({ argv: ['--data-dir', dir] });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const stores = openKernelStores(kernelPaths(loaded.value.config));
    if (!stores.ok) throw new Error(stores.error.message);
    const ticket = await stores.value.tickets.get('ticket-container');
    stores.value.close();
    expect(ticket.ok && ticket.value?.status).toBe('pending');
  });
});
