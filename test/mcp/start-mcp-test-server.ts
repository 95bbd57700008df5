/** A Fastify server on 127.0.0.1 with only the /mcp plugin, over a FakeWorld (for MCP tests and the bench). */
import Fastify from 'fastify';
import { mcpHttpPlugin, type McpPrincipal } from '../../src/app/mcp/mcp-http-plugin.ts';
import type { ToolTimeouts } from '../../src/app/tools/tool-context.ts';
import { makeContext } from '../tools/make-context.ts';

export const TOKENS: Readonly<Record<string, McpPrincipal>> = {
  'operator-secret': { name: 'claude-desktop', role: 'operator', credentialId: 'tok-1' },
  'viewer-secret': { name: 'viewer-client', role: 'viewer', credentialId: 'tok-2' },
};

export async function startMcpTestServer(options: { timeouts?: Partial<ToolTimeouts> } = {}) {
  const built = makeContext(options.timeouts ? { timeouts: options.timeouts } : {});
  const app = Fastify({ logger: false });
  await app.register(mcpHttpPlugin, {
    authenticateToken: (token) => TOKENS[token],
    contextFor: (_principal, actor) => ({ ...built.context, actor }),
    allowedHosts: ['jarvis.lan'],
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { ...built, app, url: new URL(`${address}/mcp`), close: () => app.close() };
}
