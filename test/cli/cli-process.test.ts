import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.ts';

const BIN = resolve(import.meta.dirname, '../../bin/jarvis.js');
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-cli-'));
  dirs.push(dir);
  return dir;
}

/** Env without the developer's JARVIS_* settings, so only what the test sets applies. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('JARVIS_')) env[key] = value;
  return { ...env, ...extra };
}

function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: cleanEnv(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('jarvis start with an invalid config (real process)', () => {
  const cases: Array<[string, string, string]> = [
    ['unknown key', 'server:\n  prot: 8080\n', 'server.prot: unknown key'],
    ['secret in the YAML', 'pve:\n  tokenSecret: abc-123\n', 'set JARVIS_PVE_TOKEN_SECRET'],
    ['YAML syntax error', 'server:\n  port: 8080\n   host: [\n', 'YAML syntax error at line'],
    ['bad port', 'server:\n  port: 123456\n', 'server.port: got 123456; expected a TCP port number 0-65535'],
  ];
  it.each(cases)('%s: exit 2, a one-line reason on stderr, no stack trace, nothing written', async (_name, yaml, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yaml'), yaml);
    const result = await runCli(['start', '--config', 'bad.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('jarvis: invalid configuration');
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('abc-123');
    expect(result.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['bad.yaml']);
  });

  it('an unreadable config file: exit 2 naming the file', async () => {
    const dir = tempDir();
    const result = await runCli(['start', '--config', 'missing.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing.yaml: cannot read the config file (ENOENT)');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('jarvis start lifecycle (real process)', () => {
  it('prints one JSON line when ready, serves /health, and exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [BIN, 'start', '--json', '--port', '0'], {
      cwd: dir,
      env: cleanEnv({ JARVIS_DATA_DIR: join(dir, 'data'), JARVIS_LOG_LEVEL: 'warn' }),
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const line = await new Promise<string>((done, fail) => {
      let buffer = '';
      child.stdout.on('data', (chunk) => {
        buffer += chunk;
        const newline = buffer.indexOf('\n');
        if (newline >= 0) done(buffer.slice(0, newline));
      });
      child.on('close', () => fail(new Error(`exited before ready: ${stderr}`)));
    });
    const ready = JSON.parse(line) as { url: string; simulated: boolean; adminUser: string; adminPassword?: string };
    expect(ready).toMatchObject({ simulated: true, adminUser: 'admin' });
    expect(ready.adminPassword).toBeTruthy();
    const health = await fetch(`${ready.url}/health`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${ready.url}/health`)).rejects.toThrow();
  });
});

describe('jarvis doctor against a configured cluster (real process, simulator as the cluster)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 1, authDelayMs: 0, metricsIntervalMs: 0 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  function config(fingerprint: string, tokenId = sim.operatorTokenId): string {
    return `pve:\n  url: ${sim.url}\n  tokenId: "${tokenId}"\n  fingerprint: "${fingerprint}"\ntimeouts:\n  pveMs: 3000\n`;
  }

  it('prints one verdict per check and exits 0 when all are OK/WARN', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'jarvis.yaml'), config(sim.fingerprint));
    const result = await runCli(['doctor', '--config', 'jarvis.yaml'], { cwd: dir, env: { JARVIS_PVE_TOKEN_SECRET: sim.operatorTokenSecret } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const name of [
      'config',
      'PVE reachable',
      'TLS fingerprint',
      'credential',
      'privileges',
      'dangerous privileges',
      'self privileges',
      'quorum',
      'management VM',
      'VM protection',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^(OK|WARN)\\s+${name}`, 'm'));
    }
    expect(readdirSync(dir)).toEqual(['jarvis.yaml']);
  });

  it('exits 1 with a FAIL line and its fix when the fingerprint does not match', async () => {
    const dir = tempDir();
    const wrong = sim.fingerprint.replace(/^[0-9A-F]{2}/, (pair) => (pair === '00' ? '11' : '00'));
    writeFileSync(join(dir, 'jarvis.yaml'), config(wrong));
    const result = await runCli(['doctor', '--config', 'jarvis.yaml'], { cwd: dir, env: { JARVIS_PVE_TOKEN_SECRET: sim.operatorTokenSecret } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL\s+TLS certificate\s.*is not the pinned/m);
    expect(result.stdout).toContain('`pvenode cert info`');
  });

  it('--json prints one JSON document with every check; the over-privileged token FAILs with the fix (exit 1)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'jarvis.yaml'), config(sim.fingerprint, sim.tokenId));
    const result = await runCli(['doctor', '--config', 'jarvis.yaml', '--json'], { cwd: dir, env: { JARVIS_PVE_TOKEN_SECRET: sim.tokenSecret } });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; exitCode: number; checks: { name: string; verdict: string; detail: string; hint?: string }[] };
    expect(report).toMatchObject({ ok: false, exitCode: 1 });
    expect(report.checks.map((entry) => entry.name)).toEqual(
      expect.arrayContaining([
        'config',
        'PVE reachable',
        'TLS fingerprint',
        'credential',
        'privileges',
        'dangerous privileges',
        'self privileges',
        'quorum',
        'management VM',
        'VM protection',
      ]),
    );
    expect(report.checks.find((entry) => entry.name === 'dangerous privileges')).toMatchObject({
      verdict: 'FAIL',
      detail: expect.stringContaining('Sys.PowerMgmt'),
      hint: expect.stringContaining('deploy/pve-role.md'),
    });
  });

  it('exits 2 when the token secret is missing from the environment', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'jarvis.yaml'), config(sim.fingerprint));
    const result = await runCli(['doctor', '--config', 'jarvis.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('JARVIS_PVE_TOKEN_SECRET');
  });
});
