import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { startStdioProxy } from '../../src/app/mcp/stdio-proxy.ts';
import { startMcpTestServer } from './start-mcp-test-server.ts';

async function proxyTo(url: URL, token: string) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const errors: string[] = [];
  const proxy = await startStdioProxy({ url, token, transport: serverSide, timeoutMs: 5000, onError: (message) => errors.push(message) });
  const client = new Client({ name: 'proxy-test', version: '1.0.0' });
  await client.connect(clientSide);
  return { client, proxy, errors };
}

describe('stdio proxy', () => {
  it('answers a structured tool error, not a crash, when the server is down', async () => {
    const down = await startMcpTestServer();
    const url = down.url;
    await down.close();
    const { client, proxy, errors } = await proxyTo(url, 'operator-secret');
    // Never "0 tools" as if Jarvis had none: listing fails with the reason and the fix.
    await expect(client.listTools()).rejects.toThrow(/JARVIS_UNREACHABLE.*jarvis start/);
    expect(await proxy.probe()).toMatchObject({ code: 'JARVIS_UNREACHABLE', retryable: true });
    const result = await client.callTool({ name: 'check_cluster_health', arguments: {} });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ recoverable: true, code: 'JARVIS_UNREACHABLE' });
    expect(errors.length).toBeGreaterThan(0);
    await client.close();
    await proxy.close();
  });

  it('passes a protocol error for an unknown tool through unchanged', async () => {
    const server = await startMcpTestServer();
    const { client, proxy } = await proxyTo(server.url, 'operator-secret');
    const result = await client.callTool({ name: 'no_such_tool', arguments: {} }).catch((error: Error) => ({ thrown: error.message }));
    expect(JSON.stringify(result)).toMatch(/no_such_tool/);
    await client.close();
    await proxy.close();
    await server.close();
  });

  it("forwards the server's refusal of a wrong token instead of hiding it", async () => {
    const server = await startMcpTestServer();
    const { client, proxy } = await proxyTo(server.url, 'wrong');
    const result = await client.callTool({ name: 'check_cluster_health', arguments: {} });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ code: 'UNAUTHENTICATED', recoverable: false });
    await client.close();
    await proxy.close();
    await server.close();
  });
});
