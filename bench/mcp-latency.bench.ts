/**
 * Tool-call latency over MCP Streamable HTTP against the embedded simulator, per read tool, with
 * the real adapters (PVE over pinned HTTPS, SSH to the simulated sshd) and the real server path
 * (Host/Origin/bearer checks, a fresh stateless McpServer per request, runTool, framing).
 * Also prints the token report of the tool subsets (Qwen 2.5 vocabulary).
 * Run: `npx tsx bench/mcp-latency.bench.ts [calls per tool]` (default 200 after 20 warm-up calls).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { toolsFor } from '../src/app/tools/index.ts';
import { tokenReport } from '../scripts/tool-token-report.ts';
import { startSimHarness } from '../test/mcp/sim-harness.ts';
import { SIM_CALLS } from '../test/mcp/sim-calls.ts';

const calls = Number(process.argv[2] ?? 200);
const harness = await startSimHarness();
const client = new Client({ name: 'bench', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(harness.url, { requestInit: { headers: { authorization: 'Bearer operator-secret' } } }));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

console.log(
  `MCP tools/call over HTTP vs simulator, ${calls} calls per tool (Node ${process.version}, load ${(await import('node:os'))
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')})`,
);
console.log('| tool | p50 ms | p99 ms | max ms | errors |\n|---|---|---|---|---|');
for (const tool of toolsFor('read')) {
  const args = SIM_CALLS[tool.name]!;
  for (let index = 0; index < 20; index++) await client.callTool({ name: tool.name, arguments: args });
  const samples: number[] = [];
  let errors = 0;
  for (let index = 0; index < calls; index++) {
    const start = performance.now();
    const result = await client.callTool({ name: tool.name, arguments: args });
    samples.push(performance.now() - start);
    if (result.isError) errors += 1;
  }
  samples.sort((a, b) => a - b);
  console.log(
    `| ${tool.name} | ${percentile(samples, 0.5).toFixed(1)} | ${percentile(samples, 0.99).toFixed(1)} | ${samples.at(-1)!.toFixed(1)} | ${errors} |`,
  );
}
console.log('\n| subset | tools | tokens | budget |\n|---|---|---|---|');
for (const row of tokenReport()) console.log(`| ${row.subset} | ${row.tools} | ${row.tokens} | ${row.budget} |`);
await client.close();
await harness.close();
