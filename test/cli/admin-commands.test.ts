/**
 * `jarvis approve`, `jarvis freeze` and `jarvis unfreeze` talk to the RUNNING server (issue 9):
 * a real server in-process on 127.0.0.1 (startJarvis + the embedded simulator), the CLI command
 * functions run against it through its admin socket, and a dashboard WebSocket client connected
 * the whole time. Proves: the ticket is approved server-side, the action ran in the server's own
 * simulator, the open dashboard got the frames live (approval-resolve, audit-append, freeze-change),
 * the freeze audit row names the actor once, and the commands refuse when no server runs.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { run as approve } from '../../src/cli/commands/approve.ts';
import { run as audit } from '../../src/cli/commands/audit.ts';
import { run as freeze } from '../../src/cli/commands/freeze.ts';
import { run as plan } from '../../src/cli/commands/plan.ts';
import { run as token } from '../../src/cli/commands/token.ts';
import { run as unfreeze } from '../../src/cli/commands/unfreeze.ts';
import { startTestJarvis, type TestJarvis } from '../helpers/start-test-jarvis.ts';
import { connect, until } from '../http/ws-client.ts';
import { act, seedSnapshot, USER } from '../kernel/fixtures.ts';

let harness: TestJarvis;
let dataDir: string;
let socket: WebSocket;
let frames: Record<string, unknown>[];
let operatorToken: string;

/** Every message the dashboard client received so far (batches unpacked, as the dashboard does). */
function messages(): { type: string; payload: unknown }[] {
  return frames.flatMap((frame) =>
    frame.type === 'batch' ? (frame.payload as { messages: { type: string; payload: unknown }[] }).messages : [frame as { type: string; payload: unknown }],
  );
}

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const errors: string[] = [];
  const outSpy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    errors.push(String(chunk));
    return true;
  });
  try {
    return { code: await run(), out: out.join(''), err: errors.join('') };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
  }
}

async function login(url: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username: 'admin', password }),
  });
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** A red action proposed over the API by an operator token (a machine: only a human may approve it). */
async function proposeStop(vmid: number): Promise<string> {
  const response = await fetch(`${harness.running.url}/api/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
    body: JSON.stringify({ kind: 'guest.stop', vmid, reason: 'test' }),
  });
  const outcome = (await response.json()) as { status: string; approval?: { id: string } };
  expect(outcome.status).toBe('needs-confirmation');
  return outcome.approval!.id;
}

beforeAll(async () => {
  harness = await startTestJarvis({ seed: 1, prefix: 'jarvis-admin-cli-' });
  dataDir = join(harness.dir, 'data');
  const created = await capture(() => token(['create', '--role', 'operator', '--name', 'desktop', '--data-dir', dataDir]));
  expect(created.code).toBe(0);
  operatorToken = created.out.trim();
  const { url, admin } = harness.running;
  const cookie = await login(url, admin.generatedPassword!);
  ({ socket, frames } = await connect(`${url.replace('http', 'ws')}/ws`, { cookie, origin: url }));
});
afterAll(async () => {
  socket?.close();
  await harness?.close();
});

describe('the admin socket', () => {
  it('lives in the data directory with mode 0600', () => {
    const path = join(dataDir, 'admin.sock');
    expect(statSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('grants nothing over TCP: the admin-name header without a credential is still 401', async () => {
    const response = await fetch(`${harness.running.url}/api/approvals`, { headers: { 'x-jarvis-admin': 'owner' } });
    expect(response.status).toBe(401);
  });
});

describe('jarvis approve against the running server', () => {
  it("lists the pending ticket, approves it as a local admin, and the server's simulator runs it", async () => {
    const ticketId = await proposeStop(101);
    const listed = await capture(() => approve(['--data-dir', dataDir]));
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(ticketId);
    expect(listed.out).toContain('guest.stop');
    expect(listed.out).toContain('requested by token:desktop');

    const approved = await capture(() => approve([ticketId, '--as', 'owner', '--data-dir', dataDir]));
    expect(approved.err).toBe('');
    expect(approved.out).toMatch(/^done: /);
    expect(approved.code).toBe(0);
    // Server-side: the ticket is no longer pending, and the guest stopped in the server's own simulator.
    expect((await capture(() => approve(['--data-dir', dataDir]))).out).not.toContain(ticketId);
    expect(harness.running.simulator!.world.guest(101)?.status).toBe('stopped');
    // The open dashboard saw it live: the card resolved by the local admin, and the audit rows.
    await until(
      () => messages().some((frame) => frame.type === 'approval-resolve' && (frame.payload as { id: string }).id === ticketId),
      'approval-resolve frame',
    );
    const resolved = messages().find((frame) => frame.type === 'approval-resolve' && (frame.payload as { id: string }).id === ticketId)!.payload as {
      resolvedBy?: string;
    };
    expect(resolved.resolvedBy).toBe('user:owner');
    const auditOfTicket = () =>
      messages()
        .filter((frame) => frame.type === 'audit-append' && (frame.payload as { ticket?: string }).ticket === ticketId)
        .map((frame) => frame.payload as { reasons: string[]; result?: string });
    await until(() => auditOfTicket().some((row) => row.reasons.some((reason) => reason.includes('approved by user:owner'))), 'audit-append of the approval');
    await until(
      () => auditOfTicket().some((row) => row.result !== undefined && row.result.startsWith('done: ') && row.result.includes('approved by user:owner')),
      'audit-append of the result',
    );

    const reused = await capture(() => approve([ticketId, '--as', 'owner', '--data-dir', dataDir]));
    expect(reused.code).toBe(1);
  });

  it('rejects a ticket by id; the dashboard sees it resolved and nothing runs', async () => {
    const ticketId = await proposeStop(102);
    const before = harness.running.simulator!.world.guest(102)?.status;
    const rejected = await capture(() => approve([ticketId, '--reject', '--reason', 'not now', '--data-dir', dataDir]));
    expect(rejected.out).toContain(`rejected: ticket ${ticketId}`);
    expect(rejected.code).toBe(0);
    await until(
      () => messages().some((frame) => frame.type === 'approval-resolve' && (frame.payload as { id: string; status: string }).id === ticketId),
      'approval-resolve (rejected)',
    );
    expect(harness.running.simulator!.world.guest(102)?.status).toBe(before);
  });

  it("answers an unknown ticket with the server's refusal (exit 1) and an unknown option with usage (exit 2)", async () => {
    const unknown = await capture(() => approve(['no-such-ticket', '--data-dir', dataDir]));
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('TICKET_INVALID');
    const badName = await capture(() => approve(['some-ticket', '--as', 'not a name', '--data-dir', dataDir]));
    expect(badName.code).toBe(2);
    expect(badName.err).toContain('--as expects a user name');
    const bad = await capture(() => approve(['--bogus', '--data-dir', dataDir]));
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("jarvis approve: unknown option '--bogus' (see `jarvis approve --help`)\n");
  });
});

describe('jarvis freeze / unfreeze against the running server', () => {
  it('reaches an open dashboard at once, is audited as user:<name> (prefixed once), and plan sees it', async () => {
    const frozen = await capture(() => freeze(['--reason', 'drill', '--by', 'ops', '--data-dir', dataDir]));
    expect(frozen.err).toBe('');
    expect(frozen.code).toBe(0);
    // Published by the server's freeze switch: no poll, no re-read.
    await until(() => messages().some((frame) => frame.type === 'freeze-change' && (frame.payload as { frozen: boolean }).frozen), 'freeze-change ON');
    expect(messages().find((frame) => frame.type === 'freeze-change')!.payload).toMatchObject({ frozen: true, by: 'user:ops', reason: 'drill' });
    await until(
      () => messages().some((frame) => frame.type === 'audit-append' && (frame.payload as { actor: string }).actor === 'user:ops'),
      'audit-append by user:ops',
    );
    expect(messages().some((frame) => frame.type === 'audit-append' && (frame.payload as { actor: string }).actor === 'user:user:ops')).toBe(false);

    // The server's executor refuses every act now; `jarvis plan` reads the same state DB.
    const snapshotFile = join(harness.dir, 'snapshot.json');
    writeFileSync(snapshotFile, JSON.stringify(seedSnapshot()));
    const restart = act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' }, {}, USER);
    const planned = await capture(() => plan(['--snapshot', snapshotFile, '--data-dir', dataDir], Readable.from([JSON.stringify(restart)])));
    expect(JSON.parse(planned.out).reasons[0]).toContain('emergency stop');

    const thawed = await capture(() => unfreeze(['--by', 'ops', '--data-dir', dataDir]));
    expect(thawed.code).toBe(0);
    await until(() => messages().some((frame) => frame.type === 'freeze-change' && !(frame.payload as { frozen: boolean }).frozen), 'freeze-change OFF');

    // Both transitions are in the server's audit log, whose chain still verifies.
    const tail = await capture(() => audit(['tail', '-n', '2', '--data-dir', dataDir]));
    expect(
      tail.out
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { params?: { frozen?: boolean } }).params?.frozen),
    ).toEqual([true, false]);
    const verified = await capture(() => audit(['verify', '--data-dir', dataDir]));
    expect(verified.out).toMatch(/^audit log OK: \d+ records/);
  });
});

describe('no server running', () => {
  it('approve, freeze and unfreeze refuse (exit 1), name where they looked, and act on nothing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'jarvis-no-server-'));
    try {
      const socketPath = join(empty, 'admin.sock');
      for (const [name, command, args] of [
        ['approve', approve, ['some-ticket']],
        ['freeze', freeze, []],
        ['unfreeze', unfreeze, []],
        ['approve', approve, []],
      ] as const) {
        const result = await capture(() => command([...args, '--data-dir', empty]));
        expect(result.code, name).toBe(1);
        expect(result.err).toContain(`no Jarvis server is running at ${socketPath}; start it with \`jarvis start\``);
        expect(result.out).toBe('');
      }
      // Nothing was created: no state DB, no audit log, no simulator's work.
      expect(existsSync(join(empty, 'state.db'))).toBe(false);
      expect(existsSync(join(empty, 'audit'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('after the server stops', () => {
  it('the admin socket is gone and the commands refuse instead of acting', async () => {
    socket.close();
    await harness.running.close();
    expect(existsSync(join(dataDir, 'admin.sock'))).toBe(false);
    const result = await capture(() => freeze(['--data-dir', dataDir]));
    expect(result.code).toBe(1);
    expect(result.err).toContain(`no Jarvis server is running at ${join(dataDir, 'admin.sock')}`);
  });
});
