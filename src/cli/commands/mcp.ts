/**
 * `jarvis mcp [--url URL] [--token TOKEN] [--tools read|act|all]`: MCP over stdio for desktop clients (Claude Desktop),
 * forwarding every tools/list and tools/call to the running Jarvis server's /mcp, so there is one
 * kernel, one lock and one audit log. Flags win over JARVIS_URL / JARVIS_TOKEN (JARVIS_TOKEN_FILE
 * for a secrets file; `--tools` picks the subset, sent as `/mcp?tools=`). stdout carries the protocol; diagnostics go to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { startStdioProxy } from '../../app/mcp/stdio-proxy.ts';
import { readClientEnv, type ClientEnv } from '../../config/index.ts';
import { parseCommandArgs } from '../compose/command-args.ts';

export interface McpClientTarget {
  readonly url: URL;
  readonly token: string;
}

/**
 * Resolves the server URL and token from flags, then the client environment (src/config
 * `readClientEnv`: JARVIS_URL, JARVIS_TOKEN / JARVIS_TOKEN_FILE); an error message names the fix.
 */
export function resolveMcpTarget(args: readonly string[], env: ClientEnv): McpClientTarget | string {
  const parsed = parseCommandArgs('mcp', args);
  if (!parsed.ok) return parsed.error;
  const rawUrl = parsed.value.string('url') ?? env.url ?? 'http://127.0.0.1:8080';
  const token = parsed.value.string('token') ?? env.token;
  if (!token && env.tokenProblem) return env.tokenProblem;
  if (!token) return 'no API token: pass --token or set JARVIS_TOKEN (create one with `jarvis token create --role operator --name claude-desktop`)';
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return `invalid server URL '${rawUrl}': pass --url http://HOST:PORT or set JARVIS_URL`;
  }
  if (!url.pathname.endsWith('/mcp')) url = new URL(`${url.pathname.replace(/\/+$/, '')}/mcp${url.search}`, url);
  const tools = parsed.value.string('tools');
  if (tools !== undefined && tools !== '') {
    if (!['read', 'act', 'all'].includes(tools)) return `unknown tool subset '${tools}': use --tools read, act or all`;
    url.searchParams.set('tools', tools);
  }
  return { url, token };
}

export async function run(args: string[]): Promise<number> {
  const target = resolveMcpTarget(args, readClientEnv());
  if (typeof target === 'string') {
    process.stderr.write(`${target.startsWith('jarvis mcp:') ? target : `jarvis mcp: ${target}`}\n`);
    return 2;
  }
  const transport = new StdioServerTransport();
  const proxy = await startStdioProxy({
    url: target.url,
    token: target.token,
    transport,
    onError: (message) => process.stderr.write(`jarvis mcp: ${message}\n`),
  });
  // Fail loudly when no server answers: a desktop client would otherwise show Jarvis with 0 tools.
  const down = await proxy.probe();
  if (down) {
    process.stderr.write(`jarvis mcp: ${down.code}: ${down.message}\njarvis mcp: ${down.hint ?? 'start the server with `jarvis start`'}\n`);
    await proxy.close().catch(() => undefined);
    return 1;
  }
  process.stderr.write(`jarvis mcp: forwarding stdio to ${target.url.href}\n`);
  await new Promise<void>((resolve) => {
    void proxy.closed.then(resolve);
    process.stdin.on('end', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await proxy.close().catch(() => undefined);
  return 0;
}
