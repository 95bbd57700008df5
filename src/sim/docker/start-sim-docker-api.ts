import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SimHostView } from '../host-view.ts';
import { answerEngineRequest, type SimDockerRequest } from './engine-routes.ts';

/**
 * Fault switches of one simulated Docker endpoint (a socket proxy in front of a daemon):
 * - `hang`: accept requests and never answer (timeout tests);
 * - `daemon-down`: the proxy is up but its daemon is not: every request gets the proxy's
 *   `502 Bad Gateway` (a Go reverse proxy whose Unix socket is gone);
 * - `old-api`: an old Engine (Docker 1.12, API 1.24): `/version` says so and a request for a
 *   newer `/v1.NN` path gets the Engine's 400 "client version ... is too new";
 * - `{ forbid }`: an allow-list proxy that refuses the requests matching `method` and `path`
 *   (path without the `/v1.NN` prefix) with `403 Forbidden`, as wollomatic/socket-proxy does.
 * A daemon that is down behind a plain TCP endpoint comes from `view.isDockerUp` (connection reset).
 */
export type SimDockerFault = 'none' | 'hang' | 'daemon-down' | 'old-api' | { readonly forbid: { readonly method: string; readonly path: RegExp } };

/** The Engine API version of the `old-api` fault (Docker 1.12). */
export const SIM_OLD_DOCKER_API_VERSION = '1.24';

export interface SimDockerApi {
  /** Per Docker host (e.g. `docker@103`): `tcp://127.0.0.1:PORT`. */
  readonly urls: Readonly<Record<string, string>>;
  /** Requests received (bounded, newest last). */
  readonly requests: readonly SimDockerRequest[];
  setFault(host: string, fault: SimDockerFault): void;
  close(): Promise<void>;
}

const REQUEST_LOG_LIMIT = 200;

/**
 * Starts one plain-HTTP Docker Engine API endpoint per Docker host of the view on `host`
 * (default 127.0.0.1) and a random port. While `view.isDockerUp(host)` is false every connection
 * is reset at once, as a stopped daemon behind a TCP endpoint looks to a client.
 */
export async function startSimDockerApi(view: SimHostView, options: { host?: string } = {}): Promise<SimDockerApi> {
  const bind = options.host ?? '127.0.0.1';
  const urls: Record<string, string> = {};
  const faults = new Map<string, SimDockerFault>();
  const requests: SimDockerRequest[] = [];
  const servers: Server[] = [];
  const sockets = new Set<Socket>();

  for (const dockerHost of view.dockerHosts()) {
    const server = createServer((request, response) => {
      if (!view.isDockerUp(dockerHost)) return void request.socket.destroy();
      requests.push({ host: dockerHost, method: request.method ?? 'GET', path: request.url ?? '/' });
      if (requests.length > REQUEST_LOG_LIMIT) requests.shift();
      const fault = faults.get(dockerHost) ?? 'none';
      if (fault === 'hang') return;
      if (answerFault(fault, request.method ?? 'GET', request.url ?? '/', response)) return;
      try {
        answerEngineRequest(view, dockerHost, request, response);
      } catch (error) {
        response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ message: `simulator error: ${error instanceof Error ? error.message : String(error)}` }));
      }
    });
    server.on('connection', (socket) => {
      if (!view.isDockerUp(dockerHost)) return void socket.destroy();
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, bind, () => resolve());
    });
    servers.push(server);
    const address = server.address();
    urls[dockerHost] = `tcp://${bind}:${typeof address === 'object' && address ? address.port : 0}`;
  }

  return {
    urls,
    requests,
    setFault: (dockerHost, fault) => void faults.set(dockerHost, fault),
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

/** Answers a request the way the faulty proxy or old daemon would; false when the fault does not apply. */
function answerFault(fault: SimDockerFault, method: string, url: string, response: ServerResponse): boolean {
  const path = new URL(url, 'http://docker').pathname;
  const bare = path.replace(/^\/v\d+\.\d+(?=\/)/, '');
  const plain = (status: number, body: string): true => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
    return true;
  };
  if (fault === 'daemon-down') return plain(502, '');
  if (typeof fault === 'object') return fault.forbid.method === method && fault.forbid.path.test(bare) ? plain(403, 'Forbidden\n') : false;
  if (fault !== 'old-api') return false;
  const versioned = /^\/v(\d+)\.(\d+)\//.exec(path);
  const [major, minor] = SIM_OLD_DOCKER_API_VERSION.split('.').map(Number) as [number, number];
  if (versioned && (Number(versioned[1]) > major || (Number(versioned[1]) === major && Number(versioned[2]) > minor))) {
    const body = JSON.stringify({
      message: `client version ${versioned[1]}.${versioned[2]} is too new. Maximum supported API version is ${SIM_OLD_DOCKER_API_VERSION}`,
    });
    response.writeHead(400, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
    return true;
  }
  if (method === 'GET' && bare === '/version') {
    const body = JSON.stringify({ Version: '1.12.6', ApiVersion: SIM_OLD_DOCKER_API_VERSION, MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' });
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Api-Version': SIM_OLD_DOCKER_API_VERSION });
    response.end(body);
    return true;
  }
  return false;
}
