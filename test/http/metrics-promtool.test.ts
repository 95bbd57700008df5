/**
 * GET /metrics of a started Jarvis (default Node metrics on, as in production) passes Prometheus's
 * own linter, `promtool check metrics` (Debian package `prometheus`; `.ci/run` installs it). The
 * test fails, never skips, when promtool is missing: a lint that does not run is not a lint.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestJarvis, type TestJarvis } from '../helpers/start-test-jarvis.ts';

let jarvis: TestJarvis;
let body: string;

/** `promtool check metrics < file`: its exit code and everything it printed. */
function promtool(file: string): Promise<{ code: number | string; output: string }> {
  return new Promise((resolve) => {
    const input = openSync(file, 'r');
    const child = spawn('promtool', ['check', 'metrics'], { stdio: [input, 'pipe', 'pipe'], timeout: 30_000 });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      closeSync(input);
      resolve({
        code: error.code ?? 'error',
        output: `${error.code === 'ENOENT' ? 'promtool not found on PATH: install the Debian package `prometheus` (.ci/run does). ' : ''}${error.message}`,
      });
    });
    child.on('close', (code) => {
      closeSync(input);
      resolve({ code: code ?? 'signal', output });
    });
  });
}

beforeAll(async () => {
  jarvis = await startTestJarvis({ prefix: 'jarvis-metrics-', defaultMetrics: true });
  const { url, admin } = jarvis.running;
  const login = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username: 'admin', password: admin.generatedPassword }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  await jarvis.running.jarvis.poller.tick();
  // /health starts the background SSH and Docker probes; scrape until their latencies are in.
  await fetch(`${url}/health`);
  const deadline = Date.now() + 30_000;
  do {
    const response = await fetch(`${url}/metrics`, { headers: { cookie } });
    expect(response.status).toBe(200);
    body = await response.text();
    if (/dependency="ssh"/.test(body) && /jarvis_dependency_latency_seconds_count\{dependency="docker"\}/.test(body)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  } while (Date.now() < deadline);
}, 60_000);

afterAll(async () => {
  await jarvis?.close();
});

describe('GET /metrics', () => {
  it('passes `promtool check metrics` (exit 0, no lint problem)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jarvis-promtool-'));
    try {
      const file = join(dir, 'metrics.txt');
      writeFileSync(file, body);
      const result = await promtool(file);
      expect(result.output, `promtool check metrics said:\n${result.output}`).toBe('');
      expect(result.code, `promtool check metrics said:\n${result.output}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('carries build info, dependency status and the default process series', () => {
    expect(body).toMatch(/^jarvis_build_info\{version="\d+\.\d+\.\d+[^"]*",node="\d+\.\d+\.\d+"\} 1$/m);
    expect(body).toMatch(/^jarvis_dependency_up\{dependency="pve"\} 1$/m);
    expect(body).toContain('# TYPE jarvis_dependency_latency_seconds histogram');
    for (const dependency of ['pve', 'ssh', 'docker'])
      expect(body).toMatch(new RegExp(`^jarvis_dependency_latency_seconds_count\\{dependency="${dependency}"\\} [1-9]`, 'm'));
    expect(body).toContain('# TYPE jarvis_process_cpu_user_seconds_total counter');
    expect(body).not.toMatch(/^# TYPE \S+_total (gauge|histogram|summary|untyped)$/m);
  });
});
