import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerApi, type DockerodeDockerApi } from '../../src/adapters/docker/index.ts';
import { connectCluster, type ClusterEndpoint } from '../../src/cli/compose/connect-cluster.ts';
import { runDoctorChecks } from '../../src/cli/compose/doctor-checks.ts';
import { apiVersionBelow, diagnoseDocker } from '../../src/cli/compose/doctor-docker.ts';
import { doctorExitCode, formatCheck, type CheckResult } from '../../src/cli/compose/doctor-report.ts';
import { diagnoseTls, type TlsProbeInput } from '../../src/cli/compose/doctor-tls.ts';
import { SEED_TOPOLOGY } from '../../src/core/domain/topology.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { startSimDockerApi, type SimDockerApi } from '../../src/sim/docker/index.ts';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { createSelfSignedCert } from '../../src/sim/tls/self-signed-cert.ts';
import { FakeHostView } from '../ssh/fake-host-view.ts';

const DAY = 86_400_000;
const servers: { close(): unknown }[] = [];
const sockets = new Set<Socket>();

async function listen<T extends Server>(server: T): Promise<number> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  servers.push(server);
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 0;
}

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) server.close();
});

const probe = (url: string, extra: Partial<TlsProbeInput> = {}): Promise<Awaited<ReturnType<typeof diagnoseTls>>> =>
  diagnoseTls({ url, insecure: false, timeoutMs: 8_000, now: Date.now(), ...extra });

const named = (results: readonly CheckResult[], name: string) => results.find((result) => result.name === name);

describe('doctor explains TLS failures (simulator and local listeners on 127.0.0.1)', () => {
  let sim: RunningSimulator;
  let expiredSim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 1, authDelayMs: 0, metricsIntervalMs: 0 });
    expiredSim = await startSimulator({
      seed: 1,
      authDelayMs: 0,
      metricsIntervalMs: 0,
      certificate: { notBefore: new Date(Date.now() - 800 * DAY), notAfter: new Date(Date.now() - 2 * DAY) },
    });
  });
  afterAll(async () => {
    await sim?.close();
    await expiredSim?.close();
  });

  async function doctor(endpoint: ClusterEndpoint): Promise<CheckResult[]> {
    const connection = connectCluster(endpoint, { timeoutMs: 8_000, logger: silentLogger });
    if (!connection.ok) throw new Error(connection.error.message);
    try {
      return await runDoctorChecks({
        cluster: connection.value.api,
        permissions: connection.value.permissions,
        topology: SEED_TOPOLOGY,
        url: endpoint.url,
        credential: `token ${sim.operatorTokenId}`,
        tls: { fingerprint: endpoint.fingerprint, insecure: endpoint.insecure },
        diagnoseTls: () => probe(endpoint.url, { fingerprint: endpoint.fingerprint, insecure: endpoint.insecure }),
      });
    } finally {
      connection.value.close();
    }
  }
  const endpointOf = (target: RunningSimulator, overrides: Partial<ClusterEndpoint> = {}): ClusterEndpoint => ({
    url: target.url,
    auth: { kind: 'token', tokenId: target.operatorTokenId, tokenSecret: target.operatorTokenSecret },
    fingerprint: target.fingerprint,
    insecure: false,
    simulated: true,
    ...overrides,
  });

  it('the pinned simulator certificate is OK and the whole doctor passes', async () => {
    const diagnosis = await probe(sim.url, { fingerprint: sim.fingerprint });
    expect(diagnosis.kind).toBe('ok');
    const results = await doctor(endpointOf(sim));
    expect(doctorExitCode(results)).toBe(0);
    expect(named(results, 'TLS certificate')).toBeUndefined();
  });

  it('fingerprint mismatch: names both fingerprints and how to read the real one', async () => {
    const wrong = sim.fingerprint.replace(/^[0-9A-F]{2}/, (pair) => (pair === '00' ? '11' : '00'));
    const results = await doctor(endpointOf(sim, { fingerprint: wrong }));
    const tls = named(results, 'TLS certificate');
    expect(tls?.verdict).toBe('FAIL');
    expect(tls?.detail).toContain(wrong);
    expect(tls?.cause).toMatch(/renewed or replaced/);
    expect(tls?.fix).toContain('pvenode cert info');
    expect(tls?.fix).toContain(sim.fingerprint);
    expect(named(results, 'credential')).toBeUndefined(); // nothing was sent
  });

  it('self-signed without a pin: FAIL with the fingerprint to pin', async () => {
    const results = await doctor(endpointOf(sim, { fingerprint: undefined }));
    expect(results.map((result) => [result.name, result.verdict])).toEqual([
      ['PVE reachable', 'OK'],
      ['TLS certificate', 'FAIL'],
    ]);
    const tls = named(results, 'TLS certificate')!;
    expect(tls.detail).toMatch(/self-signed/);
    expect(tls.cause).toMatch(/self-signed certificate/);
    expect(tls.fix).toBe(
      `pin it: set pve.fingerprint (JARVIS_PVE_FINGERPRINT) to ${sim.fingerprint} after checking it on the node: \`pvenode cert info\` (the SHA-256 line of pve-ssl.pem or pveproxy-ssl.pem)`,
    );
  });

  it('expired certificate: FAIL without a pin (renew command), WARN when pinned (Jarvis still works)', async () => {
    const unpinned = await doctor(endpointOf(expiredSim, { fingerprint: undefined }));
    const tls = named(unpinned, 'TLS certificate')!;
    expect(tls.verdict).toBe('FAIL');
    expect(tls.detail).toMatch(/expired on/);
    expect(tls.fix).toContain('pvecm updatecerts --force');
    const pinned = await doctor(endpointOf(expiredSim));
    expect(named(pinned, 'credential')?.verdict).toBe('OK');
    expect(named(pinned, 'TLS certificate')).toMatchObject({ verdict: 'WARN', cause: expect.stringMatching(/pin still works/) });
    expect(doctorExitCode(pinned)).toBe(0);
  });

  it('hostname mismatch: a CA-trusted certificate for other names', async () => {
    const cert = createSelfSignedCert(new Date(), 'pve1.lan', { dnsNames: ['pve1.lan'], ipAddresses: ['10.0.0.5'] });
    const port = await listen(createTlsServer({ key: cert.keyPem, cert: cert.certPem }, (socket) => socket.end()));
    const diagnosis = await probe(`https://127.0.0.1:${port}`, { ca: cert.certPem });
    expect(diagnosis.kind).toBe('hostname');
    const tls = named(diagnosis.results, 'TLS certificate')!;
    expect(tls.detail).toContain('DNS:pve1.lan');
    expect(tls.fix).toMatch(/put a name the certificate covers in pve.url \(DNS:pve1\.lan, IP Address:10\.0\.0\.5\)/);
  });

  it('connection refused: pveproxy not listening', async () => {
    const port = await closedPort();
    const diagnosis = await probe(`https://127.0.0.1:${port}`);
    expect(diagnosis.kind).toBe('refused');
    expect(diagnosis.results).toHaveLength(1);
    expect(diagnosis.results[0]).toMatchObject({
      name: 'PVE reachable',
      verdict: 'FAIL',
      cause: expect.stringMatching(/nothing listens/),
      fix: expect.stringContaining('systemctl restart pveproxy'),
    });
    // Through the real PVE client too: the doctor replaces the client's errno with the explanation.
    const results = await doctor(endpointOf(sim, { url: `https://127.0.0.1:${port}` }));
    expect(results).toEqual(diagnosis.results);
  });

  it('timeout: the port accepts but never answers the handshake', async () => {
    const port = await listen(createNetServer(() => undefined));
    const diagnosis = await probe(`https://127.0.0.1:${port}`, { timeoutMs: 1_000 });
    expect(diagnosis.kind).toBe('timeout');
    expect(diagnosis.results[0]?.detail).toMatch(/accepted the connection but sent no TLS answer within 1000 ms/);
    expect(diagnosis.results[0]?.fix).toContain('ss -ltnp');
  });

  it('not TLS: plain HTTP on the port', async () => {
    const port = await listen(createHttpServer((_request, response) => response.end('hello')));
    const diagnosis = await probe(`https://127.0.0.1:${port}`);
    expect(diagnosis.kind).toBe('not-tls');
    expect(diagnosis.results[0]).toMatchObject({
      verdict: 'FAIL',
      detail: expect.stringMatching(/speaks plain HTTP, not TLS/),
      fix: expect.stringMatching(/8006/),
    });
  });

  it('DNS failure: the name does not resolve (the resolver answers ENOTFOUND)', async () => {
    const notFound = async (host: string) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
    };
    const diagnosis = await probe('https://pve1.invalid:8006', { lookup: notFound });
    expect(diagnosis.kind).toBe('dns');
    expect(diagnosis.results[0]).toMatchObject({
      verdict: 'FAIL',
      detail: 'https://pve1.invalid:8006: cannot resolve pve1.invalid (ENOTFOUND)',
      fix: expect.stringContaining('getent hosts pve1.invalid'),
    });
  });

  it('prints cause and fix lines under a FAIL', () => {
    const text = formatCheck({ name: 'PVE reachable', verdict: 'FAIL', detail: 'x', hint: 'do y', fix: 'do y', cause: 'because z' });
    expect(text.split('\n')).toEqual(['FAIL  PVE reachable      x', '      cause: because z', '      fix: do y']);
  });
});

describe('doctor explains Docker failures (simulated Engine API behind an allow-list proxy)', () => {
  const HOST = 'docker@103';
  let view: FakeHostView;
  let dockerSim: SimDockerApi;
  let api: DockerodeDockerApi;
  beforeAll(async () => {
    view = new FakeHostView();
    dockerSim = await startSimDockerApi(view, { host: '127.0.0.1' });
    const built = createDockerApi({ hosts: { [HOST]: dockerSim.urls[HOST]! }, timeoutMs: 8_000 });
    if (!built.ok) throw new Error(built.error.message);
    api = built.value;
  });
  afterAll(async () => {
    await dockerSim?.close();
  });
  const diagnose = () => diagnoseDocker(api, HOST, { timeoutMs: 8_000 });

  it('OK when every read Jarvis makes is allowed, and says writes are not probed', async () => {
    dockerSim.setFault(HOST, 'none');
    const result = await diagnose();
    expect(result.verdict).toBe('OK');
    expect(result.detail).toMatch(/API 1\.47.*inspect and logs allowed.*not probed/);
  });

  it('proxy unreachable: nothing listens at docker.hosts', async () => {
    const port = await closedPort();
    const built = createDockerApi({ hosts: { [HOST]: `tcp://127.0.0.1:${port}` }, timeoutMs: 8_000 });
    if (!built.ok) throw new Error(built.error.message);
    const result = await diagnoseDocker(built.value, HOST, { timeoutMs: 8_000 });
    expect(result).toMatchObject({
      verdict: 'FAIL',
      cause: expect.stringMatching(/socket proxy is not running/),
      fix: expect.stringContaining(`docker.hosts.${HOST}`),
    });
    expect(result.detail).toContain('ECONNREFUSED');
  });

  it.each([
    ['GET', /^\/version$/, 'GET /version'],
    ['GET', /^\/containers\/json$/, 'GET /containers/json'],
    ['GET', /^\/containers\/[^/]+\/json$/, 'GET /containers/{id}/json'],
    ['GET', /^\/containers\/[^/]+\/logs$/, 'GET /containers/{id}/logs'],
  ])('a 403 from the allow-list proxy on %s %s names the refused call', async (method, path, call) => {
    dockerSim.setFault(HOST, { forbid: { method, path } });
    const result = await diagnose();
    expect(result.verdict).toBe('FAIL');
    expect(result.detail).toBe(`${HOST}: the socket proxy refused ${call} (HTTP 403)`);
    expect(result.cause).toContain(`does not allow ${call}`);
    expect(result.fix).toContain(`add ${call} to the socket proxy's allow-list`);
    expect(result.fix).toContain('-allowGET=');
  });

  it('API version too old: names both versions and the upgrade', async () => {
    dockerSim.setFault(HOST, 'old-api');
    const result = await diagnose();
    expect(result).toMatchObject({ verdict: 'FAIL', cause: 'the Docker Engine API is too old (1.24 < 1.41)' });
    expect(result.detail).toBe(`${HOST}: Docker 1.12.6 speaks Engine API 1.24; Jarvis needs 1.41 or newer`);
    expect(apiVersionBelow('1.9', '1.41')).toBe(true);
    expect(apiVersionBelow('1.47', '1.41')).toBe(false);
    expect(apiVersionBelow('2.0', '1.41')).toBe(false);
  });

  it('daemon down behind the proxy (502): says dockerd is down, not the proxy', async () => {
    dockerSim.setFault(HOST, 'daemon-down');
    const result = await diagnose();
    expect(result).toMatchObject({
      verdict: 'FAIL',
      detail: `${HOST}: GET /version answered HTTP 502 by the socket proxy`,
      fix: expect.stringContaining('systemctl start docker'),
    });
    expect(result.cause).toMatch(/cannot reach the Docker daemon/);
    dockerSim.setFault(HOST, 'none');
  });
});

describe('jarvis doctor --json carries cause and fix (real process)', () => {
  it('explains a refused PVE port in the JSON document', async () => {
    const port = await closedPort();
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('JARVIS_')) env[key] = value;
    Object.assign(env, {
      JARVIS_PVE_URL: `https://127.0.0.1:${port}`,
      JARVIS_PVE_TOKEN_ID: 'jarvis@pve!monitor',
      JARVIS_PVE_TOKEN_SECRET: 'not-a-real-secret',
    });
    const bin = resolve(import.meta.dirname, '../../bin/jarvis.js');
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((done) => {
      const child = spawn(process.execPath, [bin, 'doctor', '--json'], { env, cwd: import.meta.dirname });
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('close', (exit) => done({ code: exit, stdout: out }));
    });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; checks: CheckResult[] };
    expect(report.ok).toBe(false);
    expect(report.checks.find((result) => result.name === 'PVE reachable')).toMatchObject({
      verdict: 'FAIL',
      cause: expect.stringMatching(/nothing listens/),
      fix: expect.stringContaining('pveproxy'),
    });
  });
});
