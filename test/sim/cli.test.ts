import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseSimArgs } from '../../src/cli/commands/sim.ts';
import { pveRequest } from './pve-request.ts';

const root = join(import.meta.dirname, '../..');

describe('jarvis sim (CLI contract)', () => {
  it('parses flags and refuses bad ones', () => {
    expect(parseSimArgs(['--port', '8006', '--seed=7', '--nodes', '8', '--guests', '200', '--scenario', 'node-offline'])).toEqual({
      port: 8006,
      seed: 7,
      nodes: 8,
      guests: 200,
      scenario: 'node-offline',
    });
    expect(parseSimArgs(['--bogus', '1'])).toMatch(/unknown option '--bogus'/);
    expect(parseSimArgs(['--port', 'abc'])).toMatch(/--port expects a non-negative integer/);
    expect(parseSimArgs(['--nodes'])).toMatch(/option --nodes needs a value \(see `jarvis sim --help`\)/);
    expect(parseSimArgs(['--no-llm'])).toEqual({ llm: false });
    expect(parseSimArgs(['--llm-slots', '2', '--llm-ctx=2048', '--llm-kv-unified'])).toEqual({ llm: { local: { slots: 2, ctx: 2048, kvUnified: true } } });
    expect(parseSimArgs(['--llm-slots', '0'])).toMatch(/--llm-slots expects an integer of at least 1/);
    expect(parseSimArgs(['--no-llm', '--llm-slots', '2'])).toMatch(/cannot be combined/);
  });

  it('takes repeatable --fault JSON objects (the admin API vocabulary) and refuses bad ones', () => {
    expect(parseSimArgs(['--fault', '{"kind":"hang","path":"/version"}', '--fault={"kind":"node-offline","node":"agent"}'])).toEqual({
      faults: [
        { kind: 'hang', path: '/version' },
        { kind: 'node-offline', node: 'agent' },
      ],
    });
    expect(parseSimArgs(['--fault', 'hang'])).toMatch(/--fault expects a JSON fault object/);
    expect(parseSimArgs(['--fault', '{"kind":"meteor"}'])).toMatch(/--fault \{"kind":"meteor"\}: not a fault/);
    expect(parseSimArgs(['--fault', '{"kind":"hang"}'])).toMatch(/not a fault \(path:/);
  });

  it('prints one JSON line with the connection details, serves PVE, and exits 0 on SIGTERM', async () => {
    const fault = '{"kind":"http-error","path":"/cluster/log","status":503,"message":"sim busy"}';
    const child = spawn(process.execPath, [join(root, 'bin/jarvis.js'), 'sim', '--scenario', 'node-offline', '--fault', fault, '--auth-delay-ms', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', () => reject(new Error('jarvis sim exited before printing')));
    });
    const info = JSON.parse(first);
    expect(Object.keys(info)).toEqual(expect.arrayContaining(['url', 'tokenId', 'tokenSecret', 'fingerprint', 'adminUrl']));
    expect(info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(info.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.tokenSecret).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(info.llmLocalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.llmCloudUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${info.llmLocalUrl}/health`)).status).toBe(200);
    const token = { id: info.tokenId, secret: info.tokenSecret };
    expect((await pveRequest(info.url, '/nodes/agent/status', { token })).status).toBe(595);
    expect(await pveRequest(info.url, '/cluster/log', { token })).toMatchObject({ status: 503, reason: 'sim busy' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 2 naming the fault when a --fault does not fit the world', async () => {
    const child = spawn(process.execPath, [join(root, 'bin/jarvis.js'), 'sim', '--fault', '{"kind":"node-offline","node":"nowhere"}'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('fault {"kind":"node-offline","node":"nowhere"}');
  });

  it('exits 2 with a message for an unknown scenario', async () => {
    const child = spawn(process.execPath, [join(root, 'bin/jarvis.js'), 'sim', '--scenario', 'nope'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("unknown scenario 'nope'");
  });
});
