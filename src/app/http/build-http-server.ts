import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { jarvisError } from '../../core/errors.ts';
import { createAuthFailureLog } from '../events/auth-failure-log.ts';
import { authenticateHook, principalOf, requirePrincipal } from './authenticate.ts';
import type { StateParts } from './build-state.ts';
import './fastify-augment.ts';
import { errorBody, sendError } from './http-errors.ts';
import type { HttpServerDeps, HttpServerOptions } from './http-deps.ts';
import { allowedHostNames, hostAllowed, normaliseOrigins, originAllowed } from './origin-check.ts';
import { publicRoutes } from './routes/public-routes.ts';
import { clusterLogRoutes } from './routes/cluster-log-routes.ts';
import { guestDetailRoutes } from './routes/guest-detail-routes.ts';
import { readRoutes } from './routes/read-routes.ts';
import { writeRoutes } from './routes/write-routes.ts';
import { chatRoutes } from './routes/chat-routes.ts';
import { userRoutes } from './routes/user-routes.ts';

const ROUTES = new WeakMap<FastifyInstance, { method: string; url: string; websocket: boolean }[]>();

/** Every route registered on a server built by buildHttpServer (for the access test that walks them all). */
export function registeredRoutes(app: FastifyInstance): readonly { method: string; url: string; websocket: boolean }[] {
  return ROUTES.get(app) ?? [];
}

/** Largest WebSocket message accepted from a client (the dashboard sends none of substance). */
const WS_MAX_PAYLOAD = 4096;

/**
 * Builds the Jarvis HTTP server (Fastify) WITHOUT listening: the caller (create-jarvis) listens,
 * tests use `app.inject()`. Layout (STYLE.md convention 9):
 * - root: cookies, websocket support, Origin check on every request, error envelope;
 * - public plugin: GET /health, POST /api/login, and the static dashboard (web/dist) when present;
 * - authenticated plugin: everything else, so a route added there is protected by default.
 */
export async function buildHttpServer(deps: HttpServerDeps, options: HttpServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.fastifyLogger ?? false,
    trustProxy: fastifyTrustProxy(options.trustProxy),
    bodyLimit: 256 * 1024,
  });
  const routes: { method: string; url: string; websocket: boolean }[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, websocket: route.websocket === true });
  });
  const allowed = normaliseOrigins(options.allowedOrigins ?? []);
  const parts: StateParts = {
    clock: deps.clock,
    state: deps.state,
    freeze: deps.freeze,
    settings: deps.settings,
    approvals: deps.approvals,
    tasks: deps.tasks,
    aiStatus: deps.aiStatus,
    seq: () => deps.hub?.seq ?? 0,
    ...(deps.self ? { self: deps.self } : {}),
  };
  const hosts = options.allowedHosts ? allowedHostNames(options.allowedHosts, options.allowedOrigins ?? []) : undefined;
  deps.metrics.setApprovalsPendingSource(() => deps.approvals.pendingCount());
  deps.metrics.setDependencySource(() => deps.health.dependencies());
  // Bad logins, tokens and sessions: logged rate-limited per client address (src/app/events/auth-failure-log.ts).
  const authFailures = createAuthFailureLog(deps.logger, deps.clock);

  await app.register(cookie);
  const hubToClose = deps.hub;
  await app.register(websocket, {
    options: { maxPayload: WS_MAX_PAYLOAD },
    // Replaces the plugin's default (close() without a code): the hub says why (1001) and releases its timers.
    preClose(this: FastifyInstance, done: () => void) {
      const server = this.websocketServer;
      void (hubToClose?.close() ?? Promise.resolve()).then(() => {
        for (const client of server.clients) client.close(1001, 'server shutting down');
        server.close(() => done());
      });
    },
  });

  // One Host/Origin policy for every route (/api, /ws, /metrics, /mcp and the dashboard).
  app.addHook('onRequest', async (request, reply) => {
    if (hosts && !hostAllowed(request, hosts)) {
      await sendError(
        reply,
        jarvisError('HOST_NOT_ALLOWED', `host '${String(request.headers.host).slice(0, 64)}' is not allowed`, { hint: 'add it to server.allowedHosts' }),
      );
      return;
    }
    if (!originAllowed(request, allowed)) {
      if (request.headers.upgrade?.toLowerCase() === 'websocket') deps.metrics.wsRefused.inc({ reason: 'origin' });
      await sendError(reply, jarvisError('ORIGIN_NOT_ALLOWED', `origin ${request.headers.origin} is not allowed`, { hint: 'add it to server.allowedOrigins' }));
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation || (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)) {
      return reply.code(error.statusCode ?? 400).send(errorBody(jarvisError('INVALID_INPUT', error.message)));
    }
    deps.logger.error({ err: error.message, url: request.url, method: request.method }, 'unhandled error in route');
    return reply.code(500).send(errorBody(jarvisError('INTERNAL', 'internal error (logged on the server)')));
  });

  /**
   * Dashboard routes (`/`, `/guest/101`, `/node/pve` ...) get index.html; API paths, dot-paths
   * (`/.well-known/*`, `/.env`) and file-like paths (`/robots.txt`, a missing asset) get a 404 JSON,
   * so a probe or a client never mistakes the dashboard for what it asked.
   */
  const isSpaRoute = (path: string): boolean => {
    if (path.startsWith('/api/') || path === '/api' || path === '/ws' || path === '/metrics' || path.startsWith('/mcp')) return false;
    const segments = path.split('/');
    return !segments.some((segment) => segment.startsWith('.')) && !(segments.at(-1) ?? '').includes('.');
  };
  const webRoot = options.webRoot && existsSync(join(options.webRoot, 'index.html')) ? options.webRoot : undefined;
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (webRoot && request.method === 'GET' && isSpaRoute(path)) return reply.sendFile('index.html'); // SPA fallback
    return sendError(reply, jarvisError('NOT_FOUND', `no route ${request.method} ${path}`));
  });

  await app.register(async (publicScope) => {
    await publicScope.register(publicRoutes(deps, { secure: options.secureCookies ?? 'auto' }, authFailures));
    if (webRoot) await publicScope.register(fastifyStatic, { root: webRoot, index: ['index.html'], wildcard: true });
  });

  await app.register(async (authenticated) => {
    authenticated.addHook('onRequest', authenticateHook(deps.auth, authFailures));
    await authenticated.register(readRoutes(deps, parts));
    await authenticated.register(guestDetailRoutes(deps));
    await authenticated.register(clusterLogRoutes(deps));
    await authenticated.register(writeRoutes(deps));
    await authenticated.register(chatRoutes(deps));
    await authenticated.register(userRoutes(deps));
    for (const plugin of options.protectedPlugins ?? []) await authenticated.register(plugin);
    const hub = deps.hub;
    if (hub) {
      authenticated.get('/ws', { websocket: true }, (socket, request) => {
        // `/ws?chat=1`: a chat socket (its own frames, no dashboard feed); see src/protocol/chat.ts.
        if (deps.chatSocket && (request.query as { chat?: string } | undefined)?.chat === '1') {
          deps.chatSocket(socket, requirePrincipal(request), () => principalOf(request, deps.auth) !== undefined);
          return;
        }
        hub.attach(socket, requirePrincipal(request), () => principalOf(request, deps.auth) !== undefined);
      });
    }
  });

  return app;
}

/** config server.trustProxy in Fastify's terms: a hop count becomes "trust the first N hops". */
function fastifyTrustProxy(value: boolean | number | readonly string[] | undefined): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  if (typeof value === 'object') return [...value];
  return value ?? false;
}
