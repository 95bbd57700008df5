/**
 * `jarvis mcp`: an MCP server on stdio for desktop clients that FORWARDS to the running Jarvis
 * server's /mcp over Streamable HTTP (one kernel, one lock, one audit log). tools/list and
 * tools/call pass through unchanged. An unreachable or refusing server yields a tool error result
 * (`isError: true`, structured), never a crash; the upstream connection is retried on the next call.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { jarvisError, type JarvisError } from '../../core/errors.ts';
import { MCP_INSTRUCTIONS } from './create-mcp-server.ts';

export interface StdioProxyOptions {
  /** The server's MCP endpoint, e.g. `http://127.0.0.1:8080/mcp`. */
  readonly url: URL;
  /** API token (`jarvis token create`). */
  readonly token: string;
  /** Downstream transport (a StdioServerTransport in production; in-memory in tests). */
  readonly transport: Transport;
  /** Per-request timeout towards the server (ms); default 60 s (act tools wait for PVE tasks). */
  readonly timeoutMs?: number;
  /** Where to report upstream failures (stderr in the CLI; stdout is the protocol). */
  readonly onError?: (message: string) => void;
}

/** True for an HTTP answer the server gave on purpose (401/403/404...): reconnecting cannot help. */
function isRefusal(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code !== undefined && error.code >= 400 && error.code < 500;
}

/** Maps a failure to reach or use the server to a JarvisError with the fix in the hint. */
export function upstreamFailure(error: unknown, url: URL): JarvisError {
  const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
  const status = error instanceof StreamableHTTPError ? error.code : undefined;
  if (status === 401)
    return jarvisError('UNAUTHENTICATED', `the Jarvis server refused the token: ${detail}`, {
      hint: 'check JARVIS_TOKEN (`jarvis token list`; create one with `jarvis token create --role operator`)',
    });
  if (status === 403)
    return jarvisError('FORBIDDEN', `the Jarvis server refused the request: ${detail}`, {
      hint: 'add the host of JARVIS_URL to server.allowedOrigins on the server',
    });
  return jarvisError('JARVIS_UNREACHABLE', `Jarvis server at ${url.origin} did not answer: ${detail}`, {
    retryable: true,
    hint: 'is `jarvis start` running, and is JARVIS_URL right?',
  });
}

function errorResult(error: JarvisError): CallToolResult {
  const body = { error: error.message, tool: 'jarvis mcp', recoverable: error.retryable, code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body, isError: true };
}

/** Starts the proxy; `closed` settles when the downstream client disconnects. */
export async function startStdioProxy(
  options: StdioProxyOptions,
): Promise<{ closed: Promise<void>; probe(): Promise<JarvisError | undefined>; close(): Promise<void> }> {
  const timeout = options.timeoutMs ?? 60_000;
  let upstream: Client | undefined;

  async function connected(): Promise<Client> {
    if (upstream) return upstream;
    const client = new Client({ name: 'jarvis-mcp-stdio', version: '0.1.0' });
    const transport = new StreamableHTTPClientTransport(options.url, { requestInit: { headers: { authorization: `Bearer ${options.token}` } } });
    await client.connect(transport, { timeout });
    client.onclose = () => {
      if (upstream === client) upstream = undefined;
    };
    upstream = client;
    return client;
  }

  async function forward<T>(work: (client: Client) => Promise<T>): Promise<T> {
    try {
      return await work(await connected());
    } catch (error) {
      // Protocol errors (unknown tool, bad params) and deliberate refusals pass through as they are.
      if (error instanceof McpError || isRefusal(error)) throw error;
      // One reconnect: a restarted server or a dropped connection.
      const stale = upstream;
      upstream = undefined;
      await stale?.close().catch(() => undefined);
      return work(await connected());
    }
  }

  const server = new Server({ name: 'jarvis', version: '0.1.0' }, { capabilities: { tools: {} }, instructions: MCP_INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    try {
      return await forward((client) => client.listTools(request.params, { timeout }));
    } catch (error) {
      if (error instanceof McpError) throw error;
      // Never an empty list: a client would show "0 tools" as if Jarvis had none. Fail loudly instead.
      const failure = upstreamFailure(error, options.url);
      options.onError?.(`cannot list tools from ${options.url.href}: ${(error as Error).message}`);
      throw new McpError(ErrorCode.InternalError, `${failure.code}: ${failure.message}${failure.hint ? ` (${failure.hint})` : ''}`);
    }
  });
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    try {
      return await forward((client) => client.callTool(request.params, undefined, { timeout }));
    } catch (error) {
      if (error instanceof McpError) throw error;
      options.onError?.(`call ${request.params.name} failed: ${(error as Error).message}`);
      return errorResult(upstreamFailure(error, options.url));
    }
  });
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  server.onclose = () => markClosed();
  await server.connect(options.transport);
  return {
    closed,
    async probe() {
      try {
        await connected();
        return undefined;
      } catch (error) {
        return upstreamFailure(error, options.url);
      }
    },
    async close() {
      await server.close();
      await upstream?.close();
    },
  };
}
