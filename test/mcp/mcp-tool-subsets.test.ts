import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolsForRequest } from '../../src/app/mcp/mcp-http-plugin.ts';
import { toolsFor } from '../../src/app/tools/index.ts';
import { resolveMcpTarget } from '../../src/cli/commands/mcp.ts';
import { readClientEnv } from '../../src/config/index.ts';
import { startMcpTestServer } from './start-mcp-test-server.ts';

let server: Awaited<ReturnType<typeof startMcpTestServer>>;
beforeAll(async () => {
  server = await startMcpTestServer({ timeouts: { read: 300, act: 300, shell: 300, docker: 300 } });
});
afterAll(async () => {
  await server.close();
});

function urlWith(tools: string): URL {
  const url = new URL(server.url);
  url.searchParams.set('tools', tools);
  return url;
}

async function listed(token: string, tools: string): Promise<string[]> {
  const client = new Client({ name: 'subset-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(urlWith(tools), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

const names = (subset: 'read' | 'act' | 'all') => toolsFor(subset).map((tool) => tool.name);

describe('tool subset chosen per request (/mcp?tools=)', () => {
  it('gives an operator only the read tools with ?tools=read and only the act tools with ?tools=act', async () => {
    expect(await listed('operator-secret', 'read')).toEqual(names('read'));
    expect(await listed('operator-secret', 'act')).toEqual(names('act'));
    expect(await listed('operator-secret', 'all')).toEqual(names('all'));
  });

  it('never widens a viewer beyond the read tools', async () => {
    expect(await listed('viewer-secret', 'all')).toEqual(names('read'));
    expect(toolsForRequest('viewer', 'act')).toMatchObject({ status: 403 });
  });

  it('refuses an act call on a read-subset request as an unknown tool, and runs nothing', async () => {
    const client = new Client({ name: 'subset-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(urlWith('read'), { requestInit: { headers: { authorization: 'Bearer operator-secret' } } }));
    const before = server.world.executed.length;
    const result = await client
      .callTool({ name: 'execute_remediation', arguments: { node: 'pve', remediation: 'clear_temp', path: '/tmp' } })
      .catch((error: Error) => ({ isError: true, content: [{ text: error.message }] }));
    await client.close();
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/execute_remediation not found/i);
    expect(server.world.executed.length).toBe(before);
  });

  it('answers 400 for an unknown subset and 403 for a viewer asking for act tools', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const post = (tools: string, token: string) =>
      fetch(urlWith(tools), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
        body: JSON.stringify(initialize),
      });
    expect((await post('everything', 'operator-secret')).status).toBe(400);
    expect((await post('act', 'viewer-secret')).status).toBe(403);
  });
});

describe('jarvis mcp --tools', () => {
  it('sends the subset as ?tools= and refuses an unknown one', () => {
    const target = resolveMcpTarget(['--url', 'http://127.0.0.1:8080', '--token', 't', '--tools', 'read'], readClientEnv({}));
    expect(typeof target === 'string' ? target : target.url.href).toBe('http://127.0.0.1:8080/mcp?tools=read');
    expect(resolveMcpTarget(['--token', 't', '--tools=write'], readClientEnv({}))).toMatch(/unknown tool subset/);
  });
});
