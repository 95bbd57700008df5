/**
 * The simulated PVE API over HTTPS: /api2/json/..., fault effects (latency, 5xx, hang, malformed
 * body), authentication (token, ticket, CSRF, delayed 401s), routing, node proxying (595 for an
 * offline node) and privilege checks.
 * @see reference pve-api.md §1–§3
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SelfSignedCert } from '../tls/self-signed-cert.ts';
import type { SimWorld } from '../world/sim-world.ts';
import { hasPrivilege, type AuthService } from './auth.ts';
import { parseBody, readBody } from './request-args.ts';
import { fail, ok, writeBody, writeReply, type Reply } from './reply.ts';
import { Router } from './router.ts';
import { ALL_ROUTES } from './routes.ts';

export interface PveServerOptions {
  readonly world: SimWorld;
  readonly auth: AuthService;
  readonly cert: SelfSignedCert;
  readonly host: string;
  readonly port: number;
  /** Delay before every authentication failure (PVE: 3000 ms). */
  readonly authDelayMs: number;
}

export interface PveServer {
  readonly port: number;
  close(): Promise<void>;
}

const PREFIX = '/api2/json';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPveServer(options: PveServerOptions): Promise<PveServer> {
  const router = new Router(ALL_ROUTES);
  const server: Server = createServer({ key: options.cert.keyPem, cert: options.cert.certPem }, (request, response) => {
    handle(request, response, options, router).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) writeReply(request, response, fail(500, `internal simulator error: ${(error as Error).message}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: PveServerOptions, router: Router): Promise<void> {
  const { world, auth } = options;
  const method = request.method ?? 'GET';
  const url = new URL(request.url ?? '/', 'https://localhost');
  const body = await readBody(request);
  const send = (reply: Reply): void => {
    if (!response.destroyed) writeReply(request, response, reply);
  };
  if (!url.pathname.startsWith(`${PREFIX}/`) && url.pathname !== PREFIX) return send(fail(501, 'no such uri'));
  const path = url.pathname.slice(PREFIX.length) || '/';
  world.now();

  const effect = world.httpFaults(method, path);
  if (effect.latencyMs > 0) await sleep(effect.latencyMs);
  if (effect.hang) return; // never answer; close() destroys the socket
  if (effect.error) return send(fail(effect.error.status, effect.error.message));
  if (effect.malformed) {
    if (!response.destroyed) writeBody(request, response, 200, 'OK', Buffer.from('{"data":[{"id":"qemu/100","type":"qemu","status":"runn'));
    return;
  }

  if (body === undefined) return send(fail(413, 'Request Entity Too Large'));
  const bodyArgs = method === 'POST' || method === 'PUT' ? parseBody(request.headers['content-type'], body) : {};
  if (bodyArgs === undefined) return send(fail(400, 'malformed JSON body'));
  const args: Record<string, string> = { ...Object.fromEntries(url.searchParams), ...bodyArgs };

  if (path === '/access/ticket' && method === 'POST') {
    const userid = auth.login(args.username, args.password, args.realm);
    if (!userid) {
      await sleep(options.authDelayMs);
      return send(fail(401, 'authentication failure'));
    }
    return send(
      ok({
        username: userid,
        ticket: auth.issueTicket(userid),
        CSRFPreventionToken: auth.csrfToken(userid),
        cap: auth.capabilities(),
        clustername: world.clusterName,
      }),
    );
  }

  const outcome = auth.authenticate(request.headers.authorization, request.headers.cookie);
  if (!outcome.ok) {
    await sleep(options.authDelayMs);
    return send(fail(401, outcome.message));
  }
  const identity = outcome.identity;
  const match = router.match(method, path);
  if (!match) return send(fail(501, `Method '${method} ${path}' not implemented`));
  if (identity.viaTicket && method !== 'GET') {
    const csrf = request.headers.csrfpreventiontoken;
    if (!auth.verifyCsrf(identity.userid, Array.isArray(csrf) ? csrf[0] : csrf)) {
      await sleep(options.authDelayMs);
      return send(fail(401, 'Permission denied - invalid csrf token'));
    }
  }
  const nodeName = match.params.node;
  const node = nodeName !== undefined ? world.node(nodeName) : world.nodes()[0];
  if (!node) {
    return send(fail(500, `hostname lookup '${nodeName}' failed - failed to get address info for: ${nodeName}: Name or service not known`));
  }
  if (match.route.proxied && !world.isNodeOnline(node.name)) return send({ status: 595, message: 'Connection refused', emptyBody: true });
  const permission = match.route.permission?.(match.params);
  if (permission && !hasPrivilege(identity, permission.privilege)) {
    return send(fail(403, `Permission check failed (${permission.path}, ${permission.privilege})`));
  }
  send(await match.route.handler({ world, method, path, params: match.params, args, identity, node, fingerprint: options.cert.fingerprint }));
}
