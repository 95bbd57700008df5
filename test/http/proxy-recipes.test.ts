/**
 * The nginx and Caddy recipes of docs/http-api.md ("Behind a reverse proxy (HTTPS)"), run as
 * written: the recipe text is cut out of the doc (so doc and test cannot drift), only the listen
 * address, certificate paths and upstream are substituted, and Debian's real `nginx` and `caddy`
 * binaries serve it on 127.0.0.1 in front of a Jarvis started in-process with server.trustProxy.
 * Through each proxy: login, Secure session cookie (HTTPS terminated at the proxy), the login
 * throttle keyed on the real client (clients on 127.0.0.2 and 127.0.0.3), a /ws upgrade that gets
 * its snapshot frame, /mcp answered by Jarvis. A missing binary FAILS the test naming its apt
 * package (.ci/run installs both); nginx runs as a non-root user with a temp prefix.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startJarvis, type RunningJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { createSelfSignedCert } from '../../src/sim/tls/self-signed-cert.ts';

const DOC = readFileSync(resolve(import.meta.dirname, '../../docs/http-api.md'), 'utf8');
/** Unprivileged user for the proxies when the test runs as root (CI does): Debian's `nobody`. */
const NOBODY = { uid: 65534, gid: 65534 };

/** The fenced block of `language` in the doc's reverse-proxy section. */
function recipe(language: string): string {
  const section = DOC.slice(DOC.indexOf('## Behind a reverse proxy (HTTPS)'));
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section);
  if (!match?.[1]) throw new Error(`docs/http-api.md has no \`\`\`${language} recipe under "Behind a reverse proxy (HTTPS)"`);
  return match[1];
}

/** Replaces `from` (which must occur in the recipe: a doc change that drops it fails here) with `to`. */
function substitute(text: string, pairs: readonly (readonly [string, string])[]): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`the recipe no longer contains ${JSON.stringify(from)}; update test/http/proxy-recipes.test.ts with the doc`);
    out = out.split(from).join(to);
  }
  return out;
}

function requireBinary(binary: string, aptPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${binary} || ls /usr/sbin/${binary} 2>/dev/null`], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')[0];
  if (!found) throw new Error(`${binary} is not installed: apt-get install -y ${aptPackage} (.ci/run installs it)`);
  return found;
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** HTTPS request from a chosen loopback address (the "client address" the proxy sees). */
function send(url: string, options: { method?: string; from: string; ca: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((done, fail) => {
    const request = httpsRequest(
      url,
      { method: options.method ?? 'GET', localAddress: options.from, ca: options.ca, headers: options.headers ?? {}, agent: false },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => done({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', fail);
    request.end(options.body);
  });
}

/** Polls until the proxy answers on its port (bounded). */
async function waitForProxy(url: string, ca: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`proxy exited with ${child.exitCode}:\n${log()}`);
    try {
      await send(`${url}/health`, { from: '127.0.0.1', ca });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`proxy did not answer on ${url}:\n${log()}`);
}

interface ProxyUnderTest {
  readonly url: string;
  stop(): Promise<void>;
}

let dir: string;
let jarvis: RunningJarvis;
let proxyPort: number;
let origin: string;
const cert = createSelfSignedCert();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jarvis-proxy-'));
  proxyPort = await freePort();
  origin = `https://127.0.0.1:${proxyPort}`;
  const started = await startJarvis({
    argv: ['--port', '0', '--poll-interval-ms', '60000'],
    env: { JARVIS_DATA_DIR: join(dir, 'data'), JARVIS_SERVER_TRUST_PROXY: '127.0.0.1', JARVIS_SERVER_ALLOWED_ORIGINS: origin },
    cwd: dir,
    simulator: { seed: 1, authDelayMs: 0, taskDurationMs: 50, metricsIntervalMs: 0 },
    buildWeb: false,
    logger: silentLogger,
    defaultMetrics: false,
  });
  if (!started.ok) throw new Error(started.error.message);
  jarvis = started.value;
  await jarvis.jarvis.poller.tick();
}, 60_000);

afterAll(async () => {
  await jarvis?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A temp dir the proxy user owns, with the test certificate in it. */
function proxyDir(name: string): { root: string; crt: string; key: string } {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  const crt = join(root, 'jarvis.crt');
  const key = join(root, 'jarvis.key');
  writeFileSync(crt, cert.certPem);
  writeFileSync(key, cert.keyPem, { mode: 0o600 });
  return { root, crt, key };
}

function chownTree(paths: readonly string[]): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  chownSync(dir, NOBODY.uid, NOBODY.gid);
  for (const path of paths) chownSync(path, NOBODY.uid, NOBODY.gid);
  return NOBODY;
}

function launch(
  binary: string,
  args: readonly string[],
  user: { uid?: number; gid?: number },
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; log: () => string } {
  const child = spawn(binary, args, { ...user, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, log: () => output };
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
}

async function startNginx(): Promise<ProxyUnderTest> {
  const binary = requireBinary('nginx', 'nginx');
  const { root, crt, key } = proxyDir('nginx');
  const upstream = new URL(jarvis.url);
  const site = substitute(recipe('nginx'), [
    ['listen 443 ssl;', `listen 127.0.0.1:${proxyPort} ssl;`],
    ['/etc/ssl/jarvis.lan.crt', crt],
    ['/etc/ssl/jarvis.lan.key', key],
    ['http://127.0.0.1:8080', `http://127.0.0.1:${upstream.port}`],
  ]);
  // What /etc/nginx/nginx.conf gives the recipe, with every writable path under the temp prefix.
  const conf = [
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(root, 'nginx.pid')};`,
    `error_log ${join(root, 'error.log')} info;`,
    'events { worker_connections 64; }',
    'http {',
    `  access_log ${join(root, 'access.log')};`,
    `  client_body_temp_path ${join(root, 'client_body')};`,
    `  proxy_temp_path ${join(root, 'proxy')};`,
    `  fastcgi_temp_path ${join(root, 'fastcgi')};`,
    `  uwsgi_temp_path ${join(root, 'uwsgi')};`,
    `  scgi_temp_path ${join(root, 'scgi')};`,
    site,
    '}',
  ].join('\n');
  const confFile = join(root, 'nginx.conf');
  writeFileSync(confFile, conf);
  const user = chownTree([root, crt, key, confFile]);
  const { child, log } = launch(binary, ['-p', root, '-c', confFile, '-e', join(root, 'error.log')], user);
  const url = `https://127.0.0.1:${proxyPort}`;
  await waitForProxy(url, cert.certPem, child, () => `${log()}\n${safeRead(join(root, 'error.log'))}`);
  return { url, stop: stopper(child) };
}

async function startCaddy(): Promise<ProxyUnderTest> {
  const binary = requireBinary('caddy', 'caddy');
  const { root, crt, key } = proxyDir('caddy');
  const upstream = new URL(jarvis.url);
  const site = substitute(recipe('caddyfile'), [
    ['jarvis.lan {', `https://127.0.0.1:${proxyPort} {`],
    ['/etc/ssl/jarvis.lan.crt', crt],
    ['/etc/ssl/jarvis.lan.key', key],
    ['127.0.0.1:8080', `127.0.0.1:${upstream.port}`],
  ]);
  // Global options of the test only: no admin endpoint, no port-80 redirect listener, storage in the temp dir.
  const global = [
    '{',
    '  admin off',
    '  auto_https disable_redirects',
    `  storage file_system ${join(root, 'data')}`,
    `  https_port ${proxyPort}`,
    `  http_port ${await freePort()}`,
    '}',
  ].join('\n');
  const confFile = join(root, 'Caddyfile');
  writeFileSync(confFile, `${global}\n\n${site}`);
  const user = chownTree([root, crt, key, confFile]);
  const { child, log } = launch(binary, ['run', '--config', confFile, '--adapter', 'caddyfile'], user, {
    HOME: root,
    XDG_DATA_HOME: join(root, 'data'),
    XDG_CONFIG_HOME: join(root, 'config'),
  });
  const url = `https://127.0.0.1:${proxyPort}`;
  await waitForProxy(url, cert.certPem, child, log);
  return { url, stop: stopper(child) };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function login(url: string, from: string, password: string): Promise<Reply> {
  return send(`${url}/api/login`, {
    method: 'POST',
    from,
    ca: cert.certPem,
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username: 'admin', password }),
  });
}

function firstFrame(url: string, cookie: string): Promise<Record<string, unknown>> {
  return new Promise((done, fail) => {
    const socket = new WebSocket(`${url.replace('https:', 'wss:')}/ws`, { headers: { cookie, origin }, ca: cert.certPem, localAddress: '127.0.0.3' });
    socket.once('message', (data) => {
      done(JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>);
      socket.close();
    });
    socket.once('unexpected-response', (_request, response) => fail(new Error(`upgrade refused: HTTP ${response.statusCode}`)));
    socket.once('error', fail);
  });
}

async function checkThrough(proxy: ProxyUnderTest): Promise<void> {
  const password = jarvis.admin.generatedPassword!;
  // The attacker on 127.0.0.2 guesses wrong until locked out, even with the right password.
  for (let attempt = 0; attempt < 5; attempt += 1) expect((await login(proxy.url, '127.0.0.2', 'wrong-password')).status).not.toBe(200);
  expect((await login(proxy.url, '127.0.0.2', password)).status).toBe(429);
  // The admin on 127.0.0.3 is not locked out: the throttle sees the real client, not the proxy.
  const admin = await login(proxy.url, '127.0.0.3', password);
  expect(admin.status, admin.body).toBe(200);
  const setCookie = [admin.headers['set-cookie'] ?? []].flat().join('\n');
  expect(setCookie).toMatch(/;\s*Secure/i);
  const cookie = setCookie.split(';')[0]!;

  const session = await send(`${proxy.url}/api/session`, { from: '127.0.0.3', ca: cert.certPem, headers: { cookie } });
  expect(session.status, session.body).toBe(200);
  expect(JSON.parse(session.body)).toMatchObject({ user: { name: 'admin' } });

  const frame = await firstFrame(proxy.url, cookie);
  expect(frame.type).toBe('snapshot');

  // /mcp reaches Jarvis: its own 401 JSON (a bearer token is required), not a proxy error page.
  const mcp = await send(`${proxy.url}/mcp`, {
    method: 'POST',
    from: '127.0.0.3',
    ca: cert.certPem,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
  });
  expect(mcp.status).toBe(401);
  expect(JSON.parse(mcp.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
}

describe('reverse-proxy recipes from docs/http-api.md, run with the real binaries', () => {
  it('nginx: login, Secure cookie, throttle per real client, /ws snapshot, /mcp', async () => {
    const proxy = await startNginx();
    try {
      await checkThrough(proxy);
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it('Caddy: login, Secure cookie, throttle per real client, /ws snapshot, /mcp', async () => {
    // A fresh throttle: the nginx case locked 127.0.0.2 out on the same Jarvis.
    await jarvis.close();
    const started = await startJarvis({
      argv: ['--port', '0', '--poll-interval-ms', '60000'],
      env: { JARVIS_DATA_DIR: join(dir, 'data2'), JARVIS_SERVER_TRUST_PROXY: '127.0.0.1', JARVIS_SERVER_ALLOWED_ORIGINS: origin },
      cwd: dir,
      simulator: { seed: 1, authDelayMs: 0, taskDurationMs: 50, metricsIntervalMs: 0 },
      buildWeb: false,
      logger: silentLogger,
      defaultMetrics: false,
    });
    if (!started.ok) throw new Error(started.error.message);
    jarvis = started.value;
    await jarvis.jarvis.poller.tick();
    const proxy = await startCaddy();
    try {
      await checkThrough(proxy);
    } finally {
      await proxy.stop();
    }
  }, 60_000);
});
