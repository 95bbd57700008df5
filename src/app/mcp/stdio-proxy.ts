/**
 * `jarvis mcp`: an MCP server on stdio for desktop clients that FORWARDS to the running Jarvis
 * server's /mcp over Streamable HTTP (one kernel, one lock, one audit log). tools/list and
 * tools/call pass through unchanged. An unreachable or refusing server yields a tool error result
 * (`isError: true`, structured), never a crash; the upstream connection is retried on the next call.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
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

function upstreamError(message: string): CallToolResult {
  const error = { error: message, tool: 'jarvis mcp', recoverable: true, code: 'PVE_UNREACHABLE', hint: 'is `jarvis start` running and are JARVIS_URL/JARVIS_TOKEN right?' };
  return { content: [{ type: 'text', text: JSON.stringify(error) }], structuredContent: error, isError: true };
}

/** Starts the proxy; `closed` settles when the downstream client disconnects. */
export async function startStdioProxy(options: StdioProxyOptions): Promise<{ closed: Promise<void>; close(): Promise<void> }> {
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
    } catch {
      // One reconnect: a restarted server or an expired connection.
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
      options.onError?.(`cannot list tools from ${options.url.href}: ${(error as Error).message}`);
      return { tools: [] };
    }
  });
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    try {
      return (await forward((client) => client.callTool(request.params, undefined, { timeout }))) as CallToolResult;
    } catch (error) {
      options.onError?.(`call ${request.params.name} failed: ${(error as Error).message}`);
      return upstreamError(`Jarvis server at ${options.url.origin} did not answer: ${(error as Error).message.split('\n')[0]}`);
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
    async close() {
      await server.close();
      await upstream?.close();
    },
  };
}
