import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { SimHostView } from '../host-view.ts';
import { answerEngineRequest, type SimDockerRequest } from './engine-routes.ts';

/** `hang`: accept requests and never answer (timeout tests). A down daemon comes from `view.isDockerUp`. */
export type SimDockerFault = 'none' | 'hang';

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
      if (faults.get(dockerHost) === 'hang') return;
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
