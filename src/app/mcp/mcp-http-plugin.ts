/**
 * Streamable HTTP for MCP at POST/GET/DELETE /mcp, as a Fastify plugin. Stateless: each POST gets
 * its own McpServer + transport, so the tool set follows the caller's role (viewer: read tools
 * only) and no session state can leak between clients.
 *
 * In Jarvis it is registered INSIDE the HTTP layer's authenticated scope (`scoped: true`): the same
 * Host / Origin policy and bearer check as /api, /ws and /metrics have already run, and the plugin
 * only refuses a cookie session (MCP clients use API tokens). Standalone (tests, bench) it runs the
 * same checks itself, in order:
 *  1. Host header must name this server (server.allowedHosts) — DNS-rebinding defence -> 403.
 *  2. An Origin header, when present, must be allowed (server.allowedOrigins) -> 403.
 *  3. `Authorization: Bearer <API token>` must verify -> 401. Cookies are not accepted here.
 *
 * Tool subset per request (seed pitfall 7): `POST /mcp?tools=read|act|all` (default `all`) picks
 * the subset the caller wants; a viewer's token never gets more than the read tools, and a subset
 * left empty by the role (viewer + `act`) is refused with 403.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Actor } from '../../core/domain/action.ts';
import { toolsFor, type AnyToolDefinition, type ToolSubset } from '../tools/index.ts';
import type { ToolContext } from '../tools/tool-context.ts';
import { createMcpServer } from './create-mcp-server.ts';

/** The caller behind a bearer token (structurally the HTTP layer's Principal). */
export interface McpPrincipal {
  readonly name: string;
  readonly role: 'viewer' | 'operator' | 'admin';
  readonly credentialId: string;
}

export interface McpHttpOptions {
  /**
   * True when registered inside the HTTP layer's authenticated scope: the caller is the request's
   * principal (set by that scope's hook), which must be an API token.
   */
  readonly scoped?: boolean;
  /** Standalone: verifies the bearer token (the HTTP layer's hashed API tokens); undefined = refused. */
  authenticateToken?(token: string): McpPrincipal | undefined;
  /** The tool context for one caller (the actor on proposed actions is that caller). */
  contextFor(principal: McpPrincipal, actor: Actor): ToolContext;
  /** Extra host names (port ignored) this server answers to; loopback names and the host names of allowedOrigins always. */
  readonly allowedHosts?: readonly string[];
  /** Extra allowed origins, e.g. `https://jarvis.lan`; the server's own origin is always allowed. */
  readonly allowedOrigins?: readonly string[];
  /** Route path (default `/mcp`). */
  readonly path?: string;
}

const SUBSETS: readonly ToolSubset[] = ['read', 'act', 'all'];

/**
 * The tools one request gets: the `tools` query value (read | act | all, default all) intersected
 * with what the role allows (viewer: read only). Refusals carry their HTTP status (400 unknown
 * subset, 403 a subset the role leaves empty).
 */
export function toolsForRequest(role: McpPrincipal['role'], requested: unknown): readonly AnyToolDefinition[] | { status: 400 | 403; message: string } {
  const subset = requested === undefined || requested === '' ? 'all' : requested;
  if (typeof subset !== 'string' || !SUBSETS.includes(subset as ToolSubset))
    return {
      status: 400,
      message: `unknown tool subset '${(typeof subset === 'string' ? subset : (JSON.stringify(subset) ?? typeof subset)).slice(0, 32)}': use ?tools=read, act or all`,
    };
  const wanted = toolsFor(subset as ToolSubset);
  const tools = role === 'viewer' ? wanted.filter((tool) => tool.category === 'read') : wanted;
  if (tools.length === 0) return { status: 403, message: `a ${role} token gets no '${subset}' tools: use ?tools=read` };
  return tools;
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]', '::1'];

function hostName(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  return trimmed.replace(/:\d+$/, '');
}

function refuse(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json')
    .send({ jsonrpc: '2.0', error: { code: -32000, message: `${code}: ${message}` }, id: null });
}

/** Registers the /mcp routes on `app` (call inside the HTTP layer's root or a plugin of its own). */
export async function mcpHttpPlugin(app: FastifyInstance, options: McpHttpOptions): Promise<void> {
  const origins = new Set((options.allowedOrigins ?? []).map((origin) => origin.trim().replace(/\/+$/, '').toLowerCase()));
  // A configured origin (https://jarvis.lan) also names a host this server is reached by.
  const originHosts = [...origins].flatMap((origin) => {
    try {
      return [hostName(new URL(origin).host)];
    } catch {
      return [];
    }
  });
  const hosts = new Set([...LOCAL_HOSTS, ...(options.allowedHosts ?? []).map(hostName), ...originHosts]);
  const path = options.path ?? '/mcp';

  function check(request: FastifyRequest, reply: FastifyReply): McpPrincipal | undefined {
    if (options.scoped) {
      const scoped = (request as FastifyRequest & { principal?: McpPrincipal & { kind?: string } }).principal;
      if (scoped && scoped.kind === 'token') return scoped;
      reply.header('www-authenticate', 'Bearer realm="jarvis"');
      refuse(
        reply,
        401,
        'UNAUTHENTICATED',
        'MCP takes an API token, not a session: send Authorization: Bearer <token> (create one with `jarvis token create --role operator`)',
      );
      return undefined;
    }
    const host = request.headers.host;
    if (!host || !hosts.has(hostName(host))) {
      refuse(reply, 403, 'HOST_NOT_ALLOWED', `host '${String(host).slice(0, 64)}' is not allowed; add it to server.allowedHosts`);
      return undefined;
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      const value = origin.toLowerCase();
      let originHost = '';
      try {
        originHost = hostName(new URL(value).host);
      } catch {
        originHost = '';
      }
      const own = `${request.protocol}://${host}`.toLowerCase();
      if (!(value === own || origins.has(value) || (originHost !== '' && LOCAL_HOSTS.includes(originHost) && LOCAL_HOSTS.includes(hostName(host))))) {
        refuse(reply, 403, 'ORIGIN_NOT_ALLOWED', `origin '${origin.slice(0, 64)}' is not allowed; add it to server.allowedOrigins`);
        return undefined;
      }
    }
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const principal = match ? options.authenticateToken?.(match[1]!) : undefined;
    if (!principal) {
      reply.header('www-authenticate', 'Bearer realm="jarvis"');
      refuse(reply, 401, 'UNAUTHENTICATED', 'send Authorization: Bearer <token> (create one with `jarvis token create --role operator`)');
      return undefined;
    }
    return principal;
  }

  // When mounted inside the HTTP layer's authenticated plugin, let viewers through to our own role check.
  const routeOptions = { config: { minRole: 'viewer' } } as unknown as RouteShorthandOptions;
  app.post(path, routeOptions, async (request, reply) => {
    const principal = check(request, reply);
    if (!principal) return reply;
    const actor: Actor = { kind: 'mcp-client', clientId: principal.name.slice(0, 128) || principal.credentialId };
    const tools = toolsForRequest(principal.role, (request.query as Record<string, unknown> | undefined)?.tools);
    if ('status' in tools) return refuse(reply, tools.status, tools.status === 400 ? 'INVALID_INPUT' : 'FORBIDDEN', tools.message);
    const server = createMcpServer({ tools, context: options.contextFor(principal, actor) });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    reply.hijack();
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (error) {
      // The transport answers protocol errors itself; this is a bug path: answer once, keep serving.
      request.log.error({ err: (error as Error).message }, 'mcp request failed');
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'INTERNAL: internal error (logged on the server)' }, id: null }));
      }
    }
    return reply;
  });

  // Stateless server: no standalone SSE stream and no sessions to delete (the spec's 405 answers).
  const notAllowed = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    if (!check(request, reply)) return reply;
    return refuse(reply.header('allow', 'POST'), 405, 'METHOD_NOT_ALLOWED', 'this MCP endpoint is stateless: use POST');
  };
  app.get(path, routeOptions, notAllowed);
  app.delete(path, routeOptions, notAllowed);
}
