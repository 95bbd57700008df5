import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../src/app/tools/index.ts';
import { SAMPLE_CALLS } from '../tools/sample-calls.ts';
import { startMcpTestServer } from './start-mcp-test-server.ts';

type Server = Awaited<ReturnType<typeof startMcpTestServer>>;
let server: Server;

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

beforeAll(async () => {
  server = await startMcpTestServer({ timeouts: { read: 300, act: 300, shell: 300, docker: 300 } });
});
afterAll(async () => {
  await server.close();
});

describe('MCP over Streamable HTTP (/mcp)', () => {
  it('lists all eight tools with their annotations for an operator token', async () => {
    const client = await connect('operator-secret');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS.map((tool) => tool.name).sort());
    expect(tools.find((tool) => tool.name === 'check_cluster_health')?.annotations).toMatchObject({ readOnlyHint: true });
    expect(tools.find((tool) => tool.name === 'manage_vm')?.annotations).toMatchObject({ destructiveHint: true });
    await client.close();
  });

  it('offers only the read subset to a viewer token', async () => {
    const client = await connect('viewer-secret');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['check_cluster_health', 'get_resource_usage', 'search_logs', 'check_service', 'run_diagnostic']);
    await client.close();
  });

  it.each(ALL_TOOLS.map((tool) => tool.name))('calls %s and gets text plus structured content', async (name) => {
    const client = await connect('operator-secret');
    const result = await client.callTool({ name, arguments: SAMPLE_CALLS[name] });
    expect(result.isError ?? false, JSON.stringify(result)).toBe(false);
    expect((result.content as { type: string; text: string }[])[0]?.type).toBe('text');
    expect(result.structuredContent).toBeTypeOf('object');
    await client.close();
  });

  it('denies stop of VM 103 with the chain; stopping VM 100 returns a ticket that approves once', async () => {
    const client = await connect('operator-secret');
    const before = server.world.executed.length;
    const ran = () => server.world.executed.slice(before);
    const denied = await client.callTool({ name: 'manage_vm', arguments: { vmid: 103, action: 'stop' } });
    expect(denied.structuredContent).toMatchObject({ status: 'denied' });
    expect(JSON.stringify(denied.structuredContent)).toMatch(/would stop Jarvis: jarvis -> docker@103 -> VM 103/);
    const ticket = await client.callTool({ name: 'manage_vm', arguments: { vmid: 100, action: 'stop' } });
    const data = ticket.structuredContent as { status: string; ticketId: string };
    expect(data.status).toBe('needs-confirmation');
    expect(ran()).toEqual([]);
    expect((await server.executor.approve(data.ticketId)).status).toBe('done');
    expect((await server.executor.approve(data.ticketId)).status).toBe('error');
    expect(ran()).toEqual(['guest 100 stop']);
    await client.close();
  });

  it('returns a structured error within the timeout when PVE hangs, then answers the next call', async () => {
    const client = await connect('operator-secret');
    server.world.pveFault = 'hang';
    const hung = await client.callTool({ name: 'check_cluster_health', arguments: {} });
    server.world.pveFault = 'none';
    expect(hung.isError).toBe(true);
    expect(hung.structuredContent).toMatchObject({ tool: 'check_cluster_health', code: 'TIMEOUT', recoverable: true });
    const next = await client.callTool({ name: 'check_cluster_health', arguments: {} });
    expect(next.isError ?? false).toBe(false);
    await client.close();
  });

  it('answers 24 concurrent calls from 3 clients, one of them failing, without mixing them up', async () => {
    const clients = await Promise.all([connect('operator-secret'), connect('operator-secret'), connect('viewer-secret')]);
    const names = ['check_cluster_health', 'get_resource_usage', 'search_logs', 'check_service'];
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        clients[index % 3]!.callTool({ name: names[index % 4]!, arguments: index === 5 ? { vmid: 999 } : SAMPLE_CALLS[names[index % 4]!] }),
      ),
    );
    expect(results.filter((result) => result.isError)).toHaveLength(1);
    expect(results[5]?.structuredContent).toMatchObject({ tool: 'get_resource_usage', code: 'PVE_NOT_FOUND' });
    await Promise.all(clients.map((client) => client.close()));
  });

  it('answers ill-typed and unknown arguments with the structured INVALID_INPUT error, and runs nothing', async () => {
    const client = await connect('operator-secret');
    const before = server.world.executed.length;
    for (const args of [{ vmid: 'abc' }, { vmid: 100, action: 'explode' }, { vmid: 100, action: 'stop', reason: 'because' }]) {
      const result = await client.callTool({ name: 'manage_vm', arguments: args });
      expect(result.isError, JSON.stringify(result)).toBe(true);
      expect(result.structuredContent).toMatchObject({ tool: 'manage_vm', code: 'INVALID_INPUT', recoverable: false });
      expect(JSON.parse((result.content as { text: string }[])[0]!.text)).toMatchObject({ tool: 'manage_vm', code: 'INVALID_INPUT' });
    }
    expect(server.world.executed.length).toBe(before);
    await client.close();
  });

  it('refuses a viewer calling an act tool it was not offered', async () => {
    const client = await connect('viewer-secret');
    const before = server.world.executed.length;
    const result = await client.callTool({ name: 'manage_vm', arguments: { vmid: 100, action: 'stop' } }).catch((error: Error) => ({ isError: true, error }));
    expect(result.isError).toBe(true);
    expect(server.world.executed.length).toBe(before);
  });
});

describe('/mcp refuses', () => {
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
  };
  const post = (headers: Record<string, string>) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify(initialize),
    });

  it('a request without a bearer token (401)', async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/Bearer/);
  });

  it('a wrong bearer token (401)', async () => {
    expect((await post({ authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('a foreign Origin even with a valid token (403)', async () => {
    expect((await post({ authorization: 'Bearer operator-secret', origin: 'https://evil.example' })).status).toBe(403);
  });

  it('a foreign Host header (DNS rebinding) even with a valid token (403)', async () => {
    const response = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          server.url,
          { method: 'POST', headers: { host: 'attacker.example', authorization: 'Bearer operator-secret', 'content-type': 'application/json' } },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end(JSON.stringify(initialize));
      }, reject);
    });
    expect(response).toBe(403);
  });

  it('accepts a configured host name (Host: jarvis.lan:PORT)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          server.url,
          {
            method: 'POST',
            headers: {
              host: `jarvis.lan:${server.url.port}`,
              authorization: 'Bearer operator-secret',
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
            },
          },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end(JSON.stringify(initialize));
      }, reject);
    });
    expect(status).toBe(200);
  });

  it('accepts a local Origin', async () => {
    expect((await post({ authorization: 'Bearer operator-secret', origin: `http://127.0.0.1:${server.url.port}` })).status).toBe(200);
  });

  it('GET and DELETE with 405 (stateless endpoint)', async () => {
    expect((await fetch(server.url, { headers: { authorization: 'Bearer operator-secret' } })).status).toBe(405);
    expect((await fetch(server.url, { method: 'DELETE', headers: { authorization: 'Bearer operator-secret' } })).status).toBe(405);
  });
});
