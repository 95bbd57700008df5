/**
 * `npx tsx bench/llm-tokens.bench.ts [--json]`: exact prompt tokens of the tool definitions of a
 * routine request, measured through the REAL llama-server (scripts/provision-llama-server.sh) with
 * the Qwen2.5 vocabulary and chat template (tiny GGUF, test/helpers/tiny-gguf.ts):
 * `/apply-template` renders the request as the model would see it, `/tokenize` counts it.
 *
 * Per case (bench/llm-tool-specs.ts `routineToolSpecs`): tokens of the rendered prompt with the
 * tools minus the same prompt without them = what the tools cost including the template's
 * `# Tools` block; and the bare `tools` JSON alone, for comparison. The goal (issue 10): a routine
 * request's tools <= 256 tokens including the template's overhead. Exits 1 when the real binary
 * is not provisioned (these numbers are only worth quoting exact).
 */
import { loadavg } from 'node:os';
import { findRealLlamaServer, startRealLlamaServer } from '../test/helpers/real-llama-server.ts';
import { productToolSets, routineToolSpecs } from './llm-tool-specs.ts';

const GOAL = 256;
const SYSTEM = 'You are Jarvis, the operator of a Proxmox VE cluster.';
const QUESTION = 'How is the cluster doing?';

async function post(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

async function main(): Promise<void> {
  const binary = findRealLlamaServer();
  if (!binary.path) {
    console.error(`llm-tokens bench: the real llama-server is needed for exact counts: ${binary.reason}`);
    process.exit(1);
  }
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
  const server = await startRealLlamaServer({ bin: binary.path, slots: 1, ctx: 4096 });
  try {
    const count = async (text: string): Promise<number> => (await post(`${server.url}/tokenize`, { content: text, add_special: true })).tokens.length;
    const messages = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: QUESTION },
    ];
    const bare = await count((await post(`${server.url}/apply-template`, { messages })).prompt);
    const rows = [];
    for (const spec of routineToolSpecs()) {
      const withTools = await count((await post(`${server.url}/apply-template`, { messages, tools: spec.tools })).prompt);
      const json = await count(JSON.stringify(spec.tools));
      rows.push({ case: spec.name, withTemplate: withTools - bare, toolsJsonOnly: json, goalMet: withTools - bare <= GOAL });
    }
    const product = productToolSets(GOAL);
    const productRows = [];
    for (const spec of product.sets) {
      const withTools = await count((await post(`${server.url}/apply-template`, { messages, tools: spec.tools })).prompt);
      productRows.push({ case: spec.name, withTemplate: withTools - bare });
    }
    const worst = Math.max(...productRows.map((row) => row.withTemplate));
    const props = await (await fetch(`${server.url}/props`)).json();
    if (process.argv.includes('--json')) {
      console.log(
        JSON.stringify({ build: props.build_info, load, promptWithoutTools: bare, rows, product: { ...product, sets: productRows, worst } }, null, 2),
      );
      return;
    }
    console.log(`llama-server ${props.build_info}, Qwen2.5 template + vocabulary; load average (1/5/15 min) at start: ${load}`);
    console.log(`prompt without tools (system + "${QUESTION}"): ${bare} tokens; goal for the tools: <= ${GOAL} incl. template\n`);
    console.log('| case | tokens incl. template | tools JSON alone | goal <= 256 |');
    console.log('|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.case} | ${row.withTemplate} | ${row.toolsJsonOnly} | ${row.goalMet ? 'met' : 'NOT met'} |`);
    console.log(
      `\nWhat the product sends (compact specs fitted to ${GOAL} tokens) for the ${product.phrasings} routine phrasings of the eval corpus that need tools; ${product.dropped} of them had a tool left out by the budget:\n`,
    );
    console.log('| tool set sent | tokens incl. template |');
    console.log('|---|---|');
    for (const row of productRows) console.log(`| ${row.case.replace('product: ', '')} | ${row.withTemplate} |`);
    console.log(`\nworst: ${worst} tokens (goal <= ${GOAL}: ${worst <= GOAL ? 'met' : 'NOT met'})`);
  } finally {
    await server.close();
  }
}

await main();
