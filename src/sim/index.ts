/**
 * The embedded Proxmox VE simulator: `startSimulator()` builds a seeded world, serves the PVE
 * REST API over HTTPS (self-signed cert made at start) and a local admin API over HTTP.
 * Used by `jarvis sim`, `npm start` (no real cluster configured) and the test suites.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { startAdminServer, type ExtraAdminRoute } from './admin/admin-server.ts';
import {
  startAnthropicFake,
  startLlamaServerFake,
  type AnthropicFake,
  type AnthropicFakeOptions,
  type LlamaServerFake,
  type LlamaServerFakeOptions,
} from './llm/index.ts';
import { AuthService } from './http/auth.ts';
import { startPveServer } from './http/pve-server.ts';
import { createSelfSignedCert, type CertOptions } from './tls/self-signed-cert.ts';
import { applyScenario } from './world/scenarios.ts';
import type { Fault } from './world/faults.ts';
import { SimWorld } from './world/sim-world.ts';

export { SimWorld } from './world/sim-world.ts';
export { SCENARIOS, HOSTILE_TEXT } from './world/scenarios.ts';
export type { Fault } from './world/faults.ts';

export interface SimulatorOptions {
  /** PVE HTTPS port, 0 = random (default 0). */
  port?: number;
  /** Admin HTTP port, 0 = random. */
  adminPort?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Deterministic world + metrics (default: fixed seed 1). */
  seed?: number;
  /** Default 4 (Home, pve, agent1, agent); more adds node5..nodeN. */
  nodes?: number;
  /** Default 20 (the seed guests); more adds generated guests. Scales to 32 nodes / 4000 guests. */
  guests?: number;
  /** Named scenario applied at start (see SCENARIOS / docs/simulator.md). */
  scenario?: string;
  /** Faults applied at start, after the scenario (same vocabulary as the admin API's POST /faults). */
  faults?: readonly Fault[];
  /** Delay on auth failures (PVE: 3000); tests pass 0. */
  authDelayMs?: number;
  /** Base simulated duration of a power task (default 1500). */
  taskDurationMs?: number;
  /** PVE's "stale then unknown" horizon (default 300000). */
  staleHorizonMs?: number;
  /** How often metrics evolve (default 2000, pvestatd-like); 0 = never automatically. */
  metricsIntervalMs?: number;
  /** Epoch-ms clock of the simulation (tests inject a manual clock); default Date.now. */
  clock?: () => number;
  /**
   * Also serve the simulated models: a llama-server fake and an Anthropic Messages fake on their
   * own 127.0.0.1 ports (docs/simulator.md, "Simulated models"). `true` = defaults.
   */
  llm?: boolean | { local?: Omit<LlamaServerFakeOptions, 'host'>; cloud?: Omit<AnthropicFakeOptions, 'host'> };
  /**
   * TLS fault switch: the PVE certificate's validity and names (default: valid, localhost and
   * 127.0.0.1). E.g. `{ notAfter: <past date> }` serves an expired certificate.
   */
  certificate?: CertOptions;
}

export interface RunningLlmFakes {
  /** llama-server fake base URL (OpenAI-compatible clients use `${localUrl}/v1`). */
  localUrl: string;
  /** Anthropic fake base URL (`createAnthropic({ baseURL: `${cloudUrl}/v1` })`). */
  cloudUrl: string;
  /** The key the Anthropic fake accepts. */
  cloudApiKey: string;
  local: LlamaServerFake;
  cloud: AnthropicFake;
}

export interface RunningSimulator {
  /** https://127.0.0.1:PORT (clients append /api2/json). */
  url: string;
  /** http://127.0.0.1:PORT (admin API base). */
  adminUrl: string;
  /** Full-privilege API token id, `jarvis@pve!monitor`. */
  tokenId: string;
  /** Lower-case UUID. */
  tokenSecret: string;
  /** Audit-only token (`jarvis@pve!audit`): reads work, actions get 403. */
  auditTokenId: string;
  auditTokenSecret: string;
  /**
   * Least-privilege token (`jarvis@pve!operator`, deploy/pve-role.md's per-path grants): reads and
   * VM.PowerMgmt, but only reads on /vms/103 and /nodes/agent1 (as GET /access/permissions?path=
   * reports; the other routes check its flat privileges).
   */
  operatorTokenId: string;
  operatorTokenSecret: string;
  /** SHA-256 of the certificate, upper-case hex with colons. */
  fingerprint: string;
  /** Ticket auth user, `root@pam`. */
  username: string;
  password: string;
  world: SimWorld;
  /** Present when started with `llm`. */
  llm?: RunningLlmFakes;
  close(): Promise<void>;
}

const AUDIT_PRIVILEGES = new Set(['Sys.Audit', 'VM.Audit', 'Datastore.Audit', 'Sys.Syslog']);
const OPERATOR_PRIVILEGES = new Set([...AUDIT_PRIVILEGES, 'VM.PowerMgmt']);

/** Starts the simulator; rejects on an unknown scenario, a fault that does not fit the world, or a port already in use. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const metricsIntervalMs = options.metricsIntervalMs ?? 2000;
  const world = new SimWorld({
    seed: options.seed ?? 1,
    nodes: options.nodes ?? 4,
    guests: options.guests ?? 20,
    taskDurationMs: options.taskDurationMs ?? 1500,
    staleHorizonMs: options.staleHorizonMs ?? 300_000,
    tickSeconds: metricsIntervalMs > 0 ? metricsIntervalMs / 1000 : 2,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  if (options.scenario) {
    const problem = applyScenario(world, options.scenario);
    if (problem) throw new Error(problem);
  }
  for (const fault of options.faults ?? []) {
    const result = world.applyFault(fault);
    if (result.error) throw new Error(`fault ${JSON.stringify(fault)}: ${result.error}`);
  }
  const tokenId = 'jarvis@pve!monitor';
  const tokenSecret = randomUUID();
  const auditTokenId = 'jarvis@pve!audit';
  const auditTokenSecret = randomUUID();
  const operatorTokenId = 'jarvis@pve!operator';
  const operatorTokenSecret = randomUUID();
  const username = 'root@pam';
  const password = randomBytes(12).toString('base64url');
  const auth = new AuthService({
    username,
    password,
    clock: () => world.now(),
    tokens: [
      { id: tokenId, secret: tokenSecret, privileges: 'all' },
      { id: auditTokenId, secret: auditTokenSecret, privileges: AUDIT_PRIVILEGES },
      {
        id: operatorTokenId,
        secret: operatorTokenSecret,
        privileges: OPERATOR_PRIVILEGES,
        pathPrivileges: { '/vms/103': AUDIT_PRIVILEGES, '/nodes/agent1': AUDIT_PRIVILEGES },
      },
    ],
  });
  const cert = createSelfSignedCert(new Date(), 'pve-sim.local', options.certificate);
  const pve = await startPveServer({ world, auth, cert, host, port: options.port ?? 0, authDelayMs: options.authDelayMs ?? 3000 });
  let admin;
  let llm: RunningLlmFakes | undefined;
  try {
    let extra: ExtraAdminRoute | undefined;
    if (options.llm) {
      const llmOptions = options.llm === true ? {} : options.llm;
      const cloudApiKey = llmOptions.cloud?.apiKey ?? `sk-ant-sim-${randomBytes(12).toString('hex')}`;
      const local = await startLlamaServerFake({ ...llmOptions.local, host, ...(options.clock ? { clock: options.clock } : {}) });
      const cloud = await startAnthropicFake({ ...llmOptions.cloud, host, apiKey: cloudApiKey, ...(options.clock ? { clock: options.clock } : {}) }).catch(
        async (error: unknown) => {
          await local.close();
          throw error;
        },
      );
      llm = { localUrl: local.url, cloudUrl: cloud.url, cloudApiKey, local, cloud };
      extra = (method, path, body) => {
        if (path.startsWith('/llm/local/'))
          return local.admin(method, path.slice('/llm/local'.length), body) ?? { status: 404, body: { error: `no admin route ${method} ${path}` } };
        if (path.startsWith('/llm/cloud/'))
          return cloud.admin(method, path.slice('/llm/cloud'.length), body) ?? { status: 404, body: { error: `no admin route ${method} ${path}` } };
        return undefined;
      };
    }
    admin = await startAdminServer(world, host, options.adminPort ?? 0, extra);
  } catch (error) {
    await Promise.all([pve.close(), llm?.local.close(), llm?.cloud.close()]);
    throw error;
  }
  // A metrics tick must never take the process down: report a bug once and keep ticking.
  let reported = false;
  const tick = (): void => {
    try {
      world.tick();
    } catch (error) {
      if (!reported) process.stderr.write(`simulator: metrics tick failed (bug): ${(error as Error).stack ?? String(error)}\n`);
      reported = true;
    }
  };
  const timer = metricsIntervalMs > 0 ? setInterval(tick, metricsIntervalMs) : undefined;
  timer?.unref();
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `https://${urlHost}:${pve.port}`,
    adminUrl: `http://${urlHost}:${admin.port}`,
    tokenId,
    tokenSecret,
    auditTokenId,
    auditTokenSecret,
    operatorTokenId,
    operatorTokenSecret,
    fingerprint: cert.fingerprint,
    username,
    password,
    world,
    ...(llm ? { llm } : {}),
    close: async () => {
      if (timer) clearInterval(timer);
      await Promise.all([pve.close(), admin.close(), llm?.local.close(), llm?.cloud.close()]);
    },
  };
}
