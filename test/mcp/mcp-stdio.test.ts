import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../src/app/tools/index.ts';
import { resolveMcpTarget } from '../../src/cli/commands/mcp.ts';
import { readClientEnv } from '../../src/config/index.ts';
import { startSimHarness } from './sim-harness.ts';
import { SIM_CALLS } from './sim-calls.ts';

const root = resolve(import.meta.dirname, '../..');
let server: Awaited<ReturnType<typeof startSimHarness>>;
let client: Client;

beforeAll(async () => {
  server = await startSimHarness();
  client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [resolve(root, 'bin/jarvis.js'), 'mcp'],
      cwd: root,
      env: { PATH: process.env.PATH ?? '', JARVIS_URL: `http://127.0.0.1:${server.url.port}`, JARVIS_TOKEN: 'operator-secret' },
      stderr: 'ignore',
    }),
  );
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('jarvis mcp (stdio) forwarding to a running server on the simulator', () => {
  it('passes tools/list through', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(ALL_TOOLS.map((tool) => tool.name).sort());
  });

  it('passes tools/call through for every tool', async () => {
    for (const tool of ALL_TOOLS) {
      const result = await client.callTool({ name: tool.name, arguments: SIM_CALLS[tool.name] });
      expect(result.isError ?? false, `${tool.name}: ${JSON.stringify(result)}`).toBe(false);
    }
  });

  it("returns the server's ticket for a red action and runs nothing", async () => {
    const result = await client.callTool({ name: 'manage_vm', arguments: { vmid: 101, action: 'stop' } });
    expect(result.structuredContent).toMatchObject({ status: 'needs-confirmation' });
    expect(server.sim.world.guest(101)?.status).toBe('running');
  });
});

describe('resolveMcpTarget', () => {
  it('prefers flags over env and appends /mcp', () => {
    const target = resolveMcpTarget(['--url', 'http://10.0.0.1:8080', '--token', 'a'], readClientEnv({ JARVIS_URL: 'http://x', JARVIS_TOKEN: 'b' }));
    expect(target).toEqual({ url: new URL('http://10.0.0.1:8080/mcp'), token: 'a' });
  });

  it('reads the token from JARVIS_TOKEN_FILE and explains a missing token', () => {
    expect(
      resolveMcpTarget(
        [],
        readClientEnv({ JARVIS_TOKEN_FILE: '/run/secrets/t' }, () => 'tok\n'),
      ),
    ).toMatchObject({ token: 'tok' });
    expect(resolveMcpTarget([], readClientEnv({ JARVIS_TOKEN_FILE: '/nonexistent/t' }))).toMatch(/cannot read JARVIS_TOKEN_FILE/);
    expect(resolveMcpTarget([], readClientEnv({}))).toMatch(/jarvis token create/);
  });

  it("refuses an unknown option, naming it and the command's --help", () => {
    expect(resolveMcpTarget(['--tokne', 'a'], readClientEnv({}))).toBe("jarvis mcp: unknown option '--tokne' (see `jarvis mcp --help`)");
  });
});
