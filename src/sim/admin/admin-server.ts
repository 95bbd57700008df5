/**
 * The simulator's local admin API (plain HTTP, JSON): faults, scenarios, arbitrary text, ticks.
 * Every route is documented in docs/simulator.md.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { faultSchema } from '../world/faults.ts';
import { SCENARIOS, applyScenario } from '../world/scenarios.ts';
import type { SimWorld } from '../world/sim-world.ts';
import { guestTextSchema, injectLog, logInjectionSchema, setGuestText } from '../world/text-injection.ts';

export interface AdminServer {
  readonly port: number;
  close(): Promise<void>;
}

interface AdminReply {
  readonly status: number;
  readonly body: unknown;
}

const done = (body: unknown = { ok: true }): AdminReply => ({ status: 200, body });
const bad = (message: string, status = 400): AdminReply => ({ status, body: { error: message } });

/** Snapshot of the simulation for GET /state. */
export function simState(world: SimWorld): Record<string, unknown> {
  return {
    clusterName: world.clusterName,
    now: world.now(),
    ticks: world.ticks(),
    quorate: world.quorate(),
    nodes: world.nodes().map((node) => ({ name: node.name, ip: node.ip, online: world.isNodeOnline(node.name), freshness: world.freshness(node.name) })),
    guests: world.guests().length,
    runningGuests: world.guests().filter((guest) => guest.status === 'running').length,
    dockerHosts: world.dockerHosts().map((host) => ({ host, up: world.isDockerUp(host) })),
    faults: world.faults(),
  };
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T | string {
  const result = schema.safeParse(body);
  return result.success ? result.data : result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

function route(world: SimWorld, method: string, path: string, body: unknown): AdminReply {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id, action] = parts;
  if (method === 'GET' && path === '/state') return done(simState(world));
  if (method === 'GET' && path === '/scenarios') return done(Object.fromEntries(Object.entries(SCENARIOS).map(([name, s]) => [name, s.description])));
  if (method === 'GET' && path === '/faults') return done(world.faults());
  if (method === 'POST' && path === '/faults') {
    const fault = parse(faultSchema, body);
    if (typeof fault === 'string') return bad(fault);
    const result = world.applyFault(fault);
    return result.error ? bad(result.error) : { status: 201, body: { ok: true, ...(result.id !== undefined ? { id: result.id } : {}) } };
  }
  if (method === 'DELETE' && path === '/faults') return (world.clearFaults(), done());
  if (method === 'DELETE' && head === 'faults' && id !== undefined && parts.length === 2) {
    return world.clearFaults(Number(id)) ? done() : bad(`no such fault ${id}`, 404);
  }
  if (method === 'POST' && path === '/reset') return (world.clearFaults(), done());
  if (method === 'POST' && path === '/scenario') {
    const input = parse(z.object({ name: z.string() }), body);
    if (typeof input === 'string') return bad(input);
    const problem = applyScenario(world, input.name);
    return problem ? bad(problem) : done();
  }
  if (method === 'POST' && head === 'nodes' && id !== undefined && (action === 'offline' || action === 'online')) {
    if (!world.node(id)) return bad(`no such node '${id}'`, 404);
    if (action === 'offline') {
      if (!world.isNodeOnline(id)) return done();
      const result = world.applyFault({ kind: 'node-offline', node: id });
      return result.error ? bad(result.error) : done({ ok: true, id: result.id });
    }
    for (const entry of world.faults().filter(({ fault }) => fault.kind === 'node-offline' && fault.node === id)) world.clearFaults(entry.id);
    return done();
  }
  if (method === 'POST' && head === 'guests' && id !== undefined && parts.length === 2) {
    const text = parse(guestTextSchema, body);
    if (typeof text === 'string') return bad(text);
    const problem = setGuestText(world, Number(id), text);
    return problem ? bad(problem, 404) : done();
  }
  if (method === 'POST' && path === '/logs') {
    const injection = parse(logInjectionSchema, body);
    if (typeof injection === 'string') return bad(injection);
    const problem = injectLog(world, injection);
    return problem ? bad(problem) : done();
  }
  if (method === 'POST' && path === '/tick') {
    const input = parse(z.object({ count: z.number().int().min(1).max(100_000).optional() }), body ?? {});
    if (typeof input === 'string') return bad(input);
    world.tick(input.count ?? 1);
    return done({ ok: true, ticks: world.ticks() });
  }
  return bad(`no admin route ${method} ${path}`, 404);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? undefined : JSON.parse(text);
}

/** Extra admin routes (the LLM fakes under `/llm/...`): a reply, or undefined when the path is not theirs. */
export type ExtraAdminRoute = (method: string, path: string, body: unknown) => AdminReply | undefined;

export async function startAdminServer(world: SimWorld, host: string, port: number, extra?: ExtraAdminRoute): Promise<AdminServer> {
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const reply = (result: AdminReply): void => {
      response.writeHead(result.status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(result.body));
    };
    readJson(request)
      .then((body) => {
        const method = request.method ?? 'GET';
        const path = new URL(request.url ?? '/', 'http://localhost').pathname;
        reply(extra?.(method, path, body) ?? route(world, method, path, body));
      })
      .catch((error: unknown) => reply(bad(`bad request: ${(error as Error).message}`)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
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
