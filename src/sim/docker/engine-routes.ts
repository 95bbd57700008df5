import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContainer, SimHostView } from '../host-view.ts';
import { frameLogs, inspectJson, SIM_DOCKER_API_VERSION, summaryJson, versionJson } from './engine-json.ts';

/** An action request the simulated daemon received (for tests: proves what was asked). */
export interface SimDockerRequest {
  readonly host: string;
  readonly method: string;
  readonly path: string;
}

/**
 * Answers one Docker Engine API request for `host` from the view: /_ping, /version,
 * /containers/json, /containers/{id}/json|logs and POST start/stop/restart, with the Engine's
 * status codes (204, 304 when already started/stopped, 404 `No such container`). An optional
 * `/v1.NN` prefix is accepted. Anything else: 404 `page not found`.
 */
export function answerEngineRequest(view: SimHostView, host: string, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://docker');
  const path = url.pathname.replace(/^\/v\d+\.\d+(?=\/)/, '');
  const method = request.method ?? 'GET';
  response.setHeader('Api-Version', SIM_DOCKER_API_VERSION);
  response.setHeader('Server', `Docker/27.3.1 (linux)`);

  if ((method === 'GET' || method === 'HEAD') && path === '/_ping') return text(response, 200, 'OK');
  if (method === 'GET' && path === '/version') return json(response, 200, versionJson());
  if (method === 'GET' && path === '/containers/json') {
    const all = ['1', 'true'].includes(url.searchParams.get('all') ?? '');
    return json(
      response,
      200,
      view
        .containers(host)
        .filter((container) => all || container.state === 'running')
        .map(summaryJson),
    );
  }
  const match = /^\/containers\/([^/]+)\/(json|logs|start|stop|restart)$/.exec(path);
  if (!match) return json(response, 404, { message: 'page not found' });
  const [, rawId, operation] = match as unknown as [string, string, string];
  const id = decodeURIComponent(rawId);
  const container = findContainer(view.containers(host), id);
  const isRead = operation === 'json' || operation === 'logs';
  if (isRead !== (method === 'GET')) return json(response, 404, { message: 'page not found' });
  if (!container) return json(response, 404, { message: `No such container: ${id}` });

  if (operation === 'json') return json(response, 200, inspectJson(container));
  if (operation === 'logs') return logs(view, host, container, url.searchParams, response);
  if (operation === 'start' && container.state === 'running') return empty(response, 304);
  if (operation === 'stop' && container.state !== 'running' && container.state !== 'restarting' && container.state !== 'paused') return empty(response, 304);
  const failure = view.containerAction(host, container.id, operation as 'start' | 'stop' | 'restart');
  if (failure !== undefined) return json(response, 500, { message: failure });
  return empty(response, 204);
}

function logs(view: SimHostView, host: string, container: SimContainer, query: URLSearchParams, response: ServerResponse): void {
  const flag = (name: string) => ['1', 'true'].includes(query.get(name) ?? '');
  if (!flag('stdout') && !flag('stderr')) return json(response, 400, { message: 'Bad parameters: you must choose at least one stream' });
  const tailText = query.get('tail') ?? 'all';
  const tail = tailText === 'all' ? 100_000 : Number.parseInt(tailText, 10);
  const lines = Number.isNaN(tail) || tail < 0 ? [] : view.containerLogs(host, container.id, tail);
  const body = flag('stdout') ? frameLogs(lines, 1) : Buffer.alloc(0);
  response.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream', 'Content-Length': body.length });
  response.end(body);
}

/** Full id, name (with or without `/`), or a unique id prefix. */
function findContainer(containers: readonly SimContainer[], id: string): SimContainer | undefined {
  const name = id.replace(/^\//, '');
  const exact = containers.find((container) => container.id === id || container.name === name);
  if (exact) return exact;
  const prefixed = containers.filter((container) => container.id.startsWith(id));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function text(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, no-store, must-revalidate',
  });
  response.end(body);
}

function empty(response: ServerResponse, status: number): void {
  response.writeHead(status);
  response.end();
}
