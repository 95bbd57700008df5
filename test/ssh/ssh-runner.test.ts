import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { probeSsh } from '../../src/core/ports/shell.ts';
import { renderCommand, toShellLine, type CommandRequest, type RenderedCommand } from '../../src/core/safety/command-catalogue.ts';
import { SshShellRunner, type SshShellRunnerOptions } from '../../src/adapters/ssh/index.ts';
import { sshExec } from '../../src/adapters/ssh/ssh-exec.ts';
import { parseShellWords } from '../../src/sim/ssh/parse-shell-words.ts';
import { startSimSshServers, type SimSshServers } from '../../src/sim/ssh/index.ts';
import { generateEd25519KeyPair } from '../../src/sim/ssh/sim-ssh-keys.ts';
import { FakeHostView } from './fake-host-view.ts';

const view = new FakeHostView();
let sim: SimSshServers;

function command(request: CommandRequest): RenderedCommand {
  const rendered = renderCommand(request, { now: view.now() });
  if (!rendered.ok) throw new Error(rendered.error.message);
  return rendered.value;
}

function runner(overrides: Partial<SshShellRunnerOptions> = {}): SshShellRunner {
  const nodes = Object.fromEntries(Object.entries(sim.ports).map(([node, port]) => [node, { host: '127.0.0.1', port }]));
  return new SshShellRunner({ nodes, privateKey: sim.clientKey.privateKey, knownHosts: sim.knownHosts, timeoutMs: 5000, ...overrides });
}

beforeAll(async () => {
  sim = await startSimSshServers(view, { host: '127.0.0.1' });
});
afterAll(async () => {
  await sim.close();
});

describe('SshShellRunner against the simulated SSH servers', () => {
  it('runs a catalogue diagnostic and returns output and exit code', async () => {
    const result = await runner().run('agent1', command({ id: 'disk_usage' }));
    expect(result.ok && result.value).toMatchObject({ node: 'agent1', commandId: 'disk_usage', exitCode: 0, truncated: false });
    expect(result.ok && result.value.stdout).toContain('/dev/mapper/pve-root');
  });

  it('returns a non-zero exit code as a value (failed unit: systemctl exits 3)', async () => {
    const result = await runner().run('agent1', command({ id: 'service_status', params: { unit: 'llama-server' } }));
    expect(result.ok && result.value.exitCode).toBe(3);
  });

  it('journal argv with a spaced timestamp arrives quoted and intact', async () => {
    const journal = command({ id: 'journal', params: { unit: 'llama-server', since: '1h', lines: 10 } });
    const result = await runner().run('agent1', journal);
    expect(result.ok && result.value.stdout).toContain('out of memory');
    expect(sim.execRequests.at(-1)).toEqual({ node: 'agent1', command: toShellLine(journal) });
  });

  it('delivers shell metacharacters in an argument literally to the server exec request', async () => {
    const hostile = `x.service; rm -rf / $(id) \`id\` 'q' "d" \\ | & > <\n*`;
    const argv = ['journalctl', '-u', hostile, '--since', '2026-11-25 09:00:00', '-n', '5', '--no-pager', '-o', 'short-iso'];
    const target = {
      host: '127.0.0.1',
      port: sim.ports.agent1!,
      username: 'root',
      privateKey: sim.clientKey.privateKey,
      verifyHostKey: () => 'match' as const,
    };
    const line = argv.map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
    expect(line).toBe(toShellLine({ argv } as unknown as RenderedCommand));
    const result = await sshExec(target, line, { timeoutMs: 5000, maxStdoutBytes: 1024, maxStderrBytes: 1024 });
    const received = sim.execRequests.at(-1)!.command;
    expect(received).toBe(line);
    expect(parseShellWords(received)).toEqual({ ok: true, argv });
    expect(result.ok && result.value.exitCode).toBe(1);
    expect(result.ok && result.value.stderr).toContain('Invalid unit name');
  });

  it('refuses values not made by the catalogue, and yellow commands through run()', async () => {
    const forged = { id: 'uptime', argv: ['reboot'], tier: 'green' } as unknown as RenderedCommand;
    expect(await runner().doRun('agent1', forged)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const restart = command({ id: 'service_restart', params: { unit: 'pveproxy' } });
    expect(await runner().run('agent1', restart)).toMatchObject({ ok: false, error: { code: 'DENIED' } });
    expect(await runner().doRun('agent1', restart)).toMatchObject({ ok: true, value: { exitCode: 0 } });
    expect(await runner().run('nowhere', command({ id: 'uptime' }))).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses an unknown host key with SSH_HOST_KEY_UNKNOWN and runs nothing', async () => {
    const before = sim.execRequests.length;
    const result = await runner({ knownHosts: '' }).run('agent1', command({ id: 'uptime' }));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'SSH_HOST_KEY_UNKNOWN', retryable: false, details: { fingerprint: sim.hostKeys.agent1!.fingerprint } },
    });
    expect(sim.execRequests.length).toBe(before);
  });

  it('refuses a changed host key with SSH_HOST_KEY_MISMATCH (known_hosts and fingerprint pins)', async () => {
    const swapped = `${sim.hostKeys.pve!.knownHostsLine.split(' ')[0]} ${sim.hostKeys.agent1!.knownHostsLine.split(' ').slice(1).join(' ')}\n`;
    expect(await runner({ knownHosts: swapped }).run('pve', command({ id: 'uptime' }))).toMatchObject({ ok: false, error: { code: 'SSH_HOST_KEY_MISMATCH' } });
    const nodes = { pve: { host: '127.0.0.1', port: sim.ports.pve!, fingerprint: sim.hostKeys.agent1!.fingerprint } };
    expect(await runner({ nodes }).run('pve', command({ id: 'uptime' }))).toMatchObject({ ok: false, error: { code: 'SSH_HOST_KEY_MISMATCH' } });
    const pinned = { pve: { host: '127.0.0.1', port: sim.ports.pve!, fingerprint: sim.hostKeys.pve!.fingerprint } };
    expect(await runner({ nodes: pinned, knownHosts: '' }).run('pve', command({ id: 'uptime' }))).toMatchObject({ ok: true });
  });

  it('reports a client key the node does not accept as SSH_AUTH', async () => {
    const stranger = generateEd25519KeyPair().privateKey;
    expect(await runner({ privateKey: stranger }).run('agent1', command({ id: 'uptime' }))).toMatchObject({ ok: false, error: { code: 'SSH_AUTH' } });
  });

  it('reports an offline node as SSH_UNREACHABLE (retryable)', async () => {
    view.unreachable.add('pve');
    try {
      expect(await runner().run('pve', command({ id: 'uptime' }))).toMatchObject({ ok: false, error: { code: 'SSH_UNREACHABLE', retryable: true } });
    } finally {
      view.unreachable.delete('pve');
    }
  });

  it('times out a hung command with SSH_TIMEOUT and closes the connection', async () => {
    sim.setFault('pve', 'hang-exec');
    try {
      const result = await runner().run('pve', command({ id: 'uptime' }), { timeoutMs: 400 });
      expect(result).toMatchObject({ ok: false, error: { code: 'SSH_TIMEOUT', retryable: true } });
      await vi.waitFor(() => expect(sim.openConnections()).toBe(0));
    } finally {
      sim.setFault('pve', 'none');
    }
  });

  it('times out a server that accepts TCP but never speaks SSH', async () => {
    sim.setFault('pve', 'hang-connect');
    try {
      expect(await runner({ timeoutMs: 400 }).run('pve', command({ id: 'uptime' }))).toMatchObject({ ok: false, error: { code: 'SSH_TIMEOUT' } });
    } finally {
      sim.setFault('pve', 'none');
    }
  });

  it('consults the faultOf source per connection (e.g. a world fault), overridden by setFault', async () => {
    const hanging = new Set<string>(['agent1']);
    const withSource = await startSimSshServers(view, { faultOf: (node) => (hanging.has(node) ? 'hang-exec' : 'none') });
    try {
      const nodes = { agent1: { host: '127.0.0.1', port: withSource.ports.agent1! } };
      const local = new SshShellRunner({ nodes, privateKey: withSource.clientKey.privateKey, knownHosts: withSource.knownHosts });
      expect(await local.run('agent1', command({ id: 'uptime' }), { timeoutMs: 300 })).toMatchObject({ ok: false, error: { code: 'SSH_TIMEOUT' } });
      hanging.delete('agent1');
      expect(await local.run('agent1', command({ id: 'uptime' }))).toMatchObject({ ok: true });
    } finally {
      await withSource.close();
    }
  });

  it('queues commands beyond the per-node limit; a queued command times out without opening a session', async () => {
    sim.setFault('pve', 'hang-exec');
    try {
      const limited = runner({ maxConcurrentPerNode: 1 });
      const before = sim.execRequests.filter((request) => request.node === 'pve').length;
      const first = limited.run('pve', command({ id: 'uptime' }), { timeoutMs: 800 });
      const second = await limited.run('pve', command({ id: 'load' }), { timeoutMs: 200 });
      expect(second).toMatchObject({ ok: false, error: { code: 'SSH_TIMEOUT' } });
      expect(await first).toMatchObject({ ok: false, error: { code: 'SSH_TIMEOUT' } });
      expect(sim.execRequests.filter((request) => request.node === 'pve').length - before).toBe(1);
    } finally {
      sim.setFault('pve', 'none');
    }
    expect(await runner({ maxConcurrentPerNode: 1 }).run('pve', command({ id: 'uptime' }))).toMatchObject({ ok: true });
  });

  it('caps output and flags it as truncated', async () => {
    for (let index = 0; index < 400; index += 1) {
      view.journalEntries.push({
        node: 'pve',
        time: view.now() / 1000 - 100 + index / 10,
        unit: 'pveproxy',
        identifier: 'pveproxy',
        priority: 6,
        message: `é${'x'.repeat(300)}`,
      });
    }
    const result = await runner({ maxOutputBytes: 4096 }).run('pve', command({ id: 'journal', params: { unit: 'pveproxy', since: '1h', lines: 500 } }));
    expect(result.ok && result.value.truncated).toBe(true);
    expect(result.ok && Buffer.byteLength(result.value.stdout)).toBeLessThanOrEqual(4096);
    expect(result.ok && result.value.stdout).not.toContain('\uFFFD');
    expect(result.ok && result.value.exitCode).toBe(0);
  });

  it('probeSsh: ok for a healthy node, down for an offline one, degraded for a hung one', async () => {
    expect(await probeSsh(runner(), 'agent1', { now: view.now() })).toEqual({ status: 'ok', detail: 'ssh agent1: ok' });
    view.unreachable.add('pve');
    expect(await probeSsh(runner(), 'pve', { now: view.now() })).toEqual({ status: 'down', detail: 'ssh pve: SSH_UNREACHABLE' });
    view.unreachable.delete('pve');
    sim.setFault('pve', 'hang-exec');
    expect((await probeSsh(runner(), 'pve', { now: view.now(), timeoutMs: 300 })).status).toBe('degraded');
    sim.setFault('pve', 'none');
  });
});
