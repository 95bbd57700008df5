/**
 * `jarvis plan` in-process: --schema, --lists, --snapshot, the embedded simulator, the node locks
 * of the shared state DB, and usage errors. (approve / freeze / unfreeze talk to a running server:
 * test/cli/admin-commands.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { openKernelStores } from '../../src/cli/compose/jarvis-parts.ts';
import { run as plan } from '../../src/cli/commands/plan.ts';
import { act, seedSnapshot, USER } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'jarvis-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const snapshotFile = join(dir, 'snapshot.json');
writeFileSync(snapshotFile, JSON.stringify(seedSnapshot()));

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const writes: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
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
    const decisions = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { verdict?: string; reasons?: string[]; error?: string });
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
    const scopes = listed.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { list: string; blocks: string });
    expect(scopes.find((scope) => scope.list === 'safety.neverAct.nodes')?.blocks).toMatch(/its services/);
    const home = (kind: 'service.restart' | 'service.stop' | 'service.start') => act(kind, { type: 'service', node: 'Home', unit: 'pveproxy' }, {}, USER);
    const { out } = await capture(() =>
      plan(
        ['--snapshot', snapshotFile, '--data-dir', dir],
        lines(
          home('service.restart'),
          home('service.stop'),
          home('service.start'),
          act('cleanup.temp', { type: 'node', node: 'Home' }, { path: '/tmp' }, USER),
        ),
      ),
    );
    const decisions = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { verdict: string; reasons: string[] });
    expect(decisions.map((decision) => decision.verdict)).toEqual(['deny', 'deny', 'deny', 'deny']);
    for (const decision of decisions) expect(decision.reasons).toContain('node Home is on the never-act list');
  });
});

describe('jarvis plan on the embedded simulator (no --snapshot, no pve.url)', () => {
  it('decides against the simulated seed cluster', async () => {
    const input = lines(act('guest.stop', { type: 'guest', vmid: 103 }), act('guest.reboot', { type: 'guest', vmid: 101, name: 'media-server' }));
    const { code, out } = await capture(() => plan(['--data-dir', dir], input));
    const [self, media] = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { verdict: string; reasons: string[] });
    expect(self!.reasons[0]).toContain('would stop Jarvis');
    expect(media!.verdict).toBe('needs-confirmation');
    expect(code).toBe(0);
  });
});

describe("jarvis plan sees the server's node locks (shared state DB)", () => {
  it('denies acts while another process holds a node lock; reads still pass', async () => {
    const lockDir = mkdtempSync(join(dir, 'locks-'));
    const loaded = loadConfig({ argv: ['--data-dir', lockDir] });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const stores = openKernelStores(loaded.value.config);
    if (!stores.ok) throw new Error(stores.error.message);
    stores.value.locks.tryAcquire({ node: 'agent', holder: 'server-task', acquiredAt: Date.now(), expiresAt: Date.now() + 600_000 }, Date.now());
    stores.value.close();
    const read = act('diagnostic.run', { type: 'node', node: 'pve' }, { command: 'uptime' }, USER);
    const { out } = await capture(() => plan(['--snapshot', snapshotFile, '--data-dir', lockDir], lines(restart, read)));
    const [acted, looked] = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { verdict: string; reasons: string[] });
    expect(acted!.verdict).toBe('deny');
    expect(acted!.reasons.join(' ')).toContain('node agent is under operation');
    expect(looked!.verdict).toBe('allow');
  });
});

describe('jarvis plan usage errors', () => {
  it('an unknown option exits 2 naming it and `jarvis plan --help`; a missing value names the option', async () => {
    const unknown = await capture(() => plan(['--snapsot', snapshotFile]));
    expect(unknown.code).toBe(2);
    expect(unknown.out).toBe("jarvis plan: unknown option '--snapsot' (see `jarvis plan --help`)\n");
    const missing = await capture(() => plan(['--data-dir']));
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('option --data-dir needs a value');
  });
});
