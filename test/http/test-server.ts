import type { FastifyInstance } from 'fastify';
import { SEED_TOPOLOGY } from '../../src/core/domain/topology.ts';
import type { ClusterSnapshot } from '../../src/core/domain/cluster.ts';
import { ok } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { AuthService } from '../../src/app/auth/auth-service.ts';
import { MemoryAuthStore } from '../doubles/memory-auth-store.ts';
import { buildHttpServer } from '../../src/app/http/build-http-server.ts';
import type { HttpServerDeps, HttpServerOptions } from '../../src/app/http/http-deps.ts';
import { createJarvisMetrics } from '../../src/app/http/jarvis-metrics.ts';
import {
  MemoryApprovals,
  MemoryAuditQuery,
  MemoryEventLog,
  MemoryFreezeSwitch,
  MemoryRuntimeSettings,
  MemoryStateReader,
  NoModelChat,
  RecordingActionService,
} from '../doubles/memory-services.ts';
import type { AuthRole } from '../../src/core/ports/auth.ts';
import { createWsHub } from '../../src/app/ws/create-ws-hub.ts';
import type { WsHub, WsHubOptions } from '../../src/app/ws/ws-hub.ts';

/** A settable clock for tests. */
export class TestClock {
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export const PASSWORDS: Record<AuthRole, string> = { viewer: 'viewer-pass', operator: 'operator-pass', admin: 'admin-pass' };
/** Cheap scrypt for tests (the default costs ~100 ms per hash). */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };

export function sampleSnapshot(version = 1, takenAt = 1_700_000_000_000): ClusterSnapshot {
  return {
    version,
    takenAt,
    clusterName: SEED_TOPOLOGY.clusterName,
    quorum: { quorate: true, nodesTotal: 4, votesOnline: 4, votesTotal: 4, votesNeeded: 3 },
    nodes: SEED_TOPOLOGY.nodes.map((node) => ({ name: node.name, status: 'online' as const, votes: node.votes, cpu: 0.1 })),
    guests: [
      { vmid: 101, type: 'qemu', node: 'pve', name: 'web01', status: 'running', template: false, tags: [] },
      { vmid: 103, type: 'qemu', node: 'agent1', name: 'management', status: 'running', template: false, tags: ['jarvis'] },
    ],
    storage: [],
  };
}

export interface TestServerOptions extends HttpServerOptions {
  /** Build a WebSocket hub with these options (merged over fast test defaults). */
  hub?: Partial<WsHubOptions>;
}

export interface TestServer {
  hub: WsHub | undefined;
  app: FastifyInstance;
  deps: HttpServerDeps;
  clock: TestClock;
  state: MemoryStateReader;
  approvals: MemoryApprovals;
  actions: RecordingActionService;
  events: MemoryEventLog;
  /** Logs in and returns the Cookie header value. */
  login(role: AuthRole): Promise<string>;
}

/** Builds the real server over in-memory services; users viewer/operator/admin exist. */
export async function buildTestServer(options: TestServerOptions = {}, extra: Partial<HttpServerDeps> = {}): Promise<TestServer> {
  const clock = new TestClock();
  const auth = new AuthService(new MemoryAuthStore(), clock, { scrypt: TEST_SCRYPT, sessionTtlMs: 60 * 60_000 });
  for (const role of ['viewer', 'operator', 'admin'] as const) await auth.setUser(role, role, PASSWORDS[role]);
  const state = new MemoryStateReader();
  state.set(sampleSnapshot());
  const approvals = new MemoryApprovals(clock);
  const actions = new RecordingActionService();
  const events = new MemoryEventLog(100);
  let hubRef: WsHub | undefined;
  const freeze = new MemoryFreezeSwitch(clock, (payload) => hubRef?.publish({ type: 'freeze-change', payload }));
  const settings = new MemoryRuntimeSettings();
  const metrics = createJarvisMetrics({ defaultMetrics: false });
  const hub = options.hub ? createWsHub({ clock, state, freeze, settings, approvals }, { clock, logger: silentLogger, metrics }, options.hub) : undefined;
  hubRef = hub;
  const deps: HttpServerDeps = {
    clock,
    logger: silentLogger,
    auth,
    state,
    history: { rrdData: async () => ok([{ time: 1, values: { cpu: 0.5 } }]) },
    audit: new MemoryAuditQuery(),
    approvals,
    actions,
    freeze,
    settings,
    events,
    chat: new NoModelChat(),
    health: { dependencies: async () => ({ pve: { status: 'ok' } }) },
    metrics,
    ...(hub ? { hub } : {}),
    ...extra,
  };
  const app = await buildHttpServer(deps, { secureCookies: false, ...options });
  async function login(role: AuthRole): Promise<string> {
    const response = await app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: role, password: PASSWORDS[role] },
      headers: { origin: 'http://localhost:80' },
    });
    if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
    const cookie = response.cookies.find((entry) => entry.name === 'jarvis_session');
    if (!cookie) throw new Error('no session cookie');
    return `jarvis_session=${cookie.value}`;
  }
  return { hub, app, deps, clock, state, approvals, actions, events, login };
}
