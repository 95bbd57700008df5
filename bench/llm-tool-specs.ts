/**
 * The tool specs a routine request sends to the local model, in ONE place for
 * bench/llm-tokens.bench.ts: today the registry's definitions as an OpenAI-style `tools` array
 * (scripts/tool-token-report.ts `openAiTools`). When the gateway's compact model-facing specs land,
 * point `routineToolSpecs` at them and the bench measures those instead.
 */
import { openAiTools } from '../scripts/tool-token-report.ts';
import { ALL_TOOLS, toolsFor } from '../src/app/tools/index.ts';
import { compactToolSpec } from '../src/app/llm/compact-tool-specs.ts';
import { toModelToolSpec } from '../src/app/agent/tool-specs.ts';
import { classifyForWorld } from '../src/core/agent/classify-for-world.ts';
import { SEED_WORLD } from '../test/agent/offline-world.ts';
import { fitToolsToBudget } from '../src/core/llm/tool-budget.ts';
import { EVAL_CASES } from '../scripts/eval/cases.ts';

/** The gateway's compact specs for the local model, as an OpenAI-style tools array. */
const compact = (names: readonly string[]): unknown[] =>
  names.map((name) => {
    const spec = compactToolSpec(ALL_TOOLS.find((tool) => tool.name === name)!);
    return { type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.inputSchema } };
  });

export interface ToolSpecCase {
  /** What the row measures, e.g. `read subset (5 tools)`. */
  readonly name: string;
  /** The OpenAI-style `tools` array sent to llama-server. */
  readonly tools: readonly unknown[];
}

/**
 * What the product sends the local model for every routine phrasing of the eval corpus: the
 * product's classifier (classifyForWorld with the simulator's seed names, as the chat agent
 * classifies with the live names) and its tools as compact specs, fitted to the 256-token budget (model-layers
 * `toolsForClient`). One case per distinct tool set.
 */
export function productToolSets(budget = 256): { sets: ToolSpecCase[]; phrasings: number; dropped: number } {
  const seen = new Map<string, ToolSpecCase>();
  let phrasings = 0;
  let dropped = 0;
  for (const phrasing of EVAL_CASES.flatMap((entry) => entry.phrasings)) {
    const classification = classifyForWorld(phrasing, SEED_WORLD);
    if (classification.category !== 'routine' || classification.tools.length === 0) continue;
    phrasings += 1;
    const specs = classification.tools.map((name) => toModelToolSpec(ALL_TOOLS.find((tool) => tool.name === name)!));
    const fit = fitToolsToBudget(
      specs.map((spec) => ({ name: spec.name, description: spec.compact!.description, inputSchema: spec.compact!.inputSchema })),
      budget,
    );
    if (fit.dropped.length > 0) dropped += 1;
    const key = fit.tools.map((tool) => tool.name).join(' + ');
    if (!seen.has(key))
      seen.set(key, {
        name: `product: ${key}`,
        tools: fit.tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } })),
      });
  }
  return { sets: [...seen.values()], phrasings, dropped };
}

/** The cases measured: the pre-classifier's 1–3 tools, the read subset, the act subset, every tool. */
export function routineToolSpecs(): ToolSpecCase[] {
  const read = toolsFor('read');
  const byName = (name: string) => ALL_TOOLS.filter((tool) => tool.name === name);
  return [
    { name: '1 tool (check_cluster_health)', tools: openAiTools(byName('check_cluster_health')) },
    { name: '1 tool (get_resource_usage)', tools: openAiTools(byName('get_resource_usage')) },
    { name: '2 tools (health + usage)', tools: openAiTools([...byName('check_cluster_health'), ...byName('get_resource_usage')]) },
    {
      name: '3 tools (health + usage + logs)',
      tools: openAiTools([...byName('check_cluster_health'), ...byName('get_resource_usage'), ...byName('search_logs')]),
    },
    { name: `read subset (${read.length} tools)`, tools: openAiTools(read) },
    { name: `act subset (${toolsFor('act').length} tools)`, tools: openAiTools(toolsFor('act')) },
    { name: `all tools (${ALL_TOOLS.length})`, tools: openAiTools(ALL_TOOLS) },
    { name: 'compact: 1 tool (get_resource_usage)', tools: compact(['get_resource_usage']) },
    { name: 'compact: 2 tools (health + usage)', tools: compact(['check_cluster_health', 'get_resource_usage']) },
    { name: 'compact: 3 tools (health + usage + logs)', tools: compact(['check_cluster_health', 'get_resource_usage', 'search_logs']) },
    { name: 'compact: 3 tools (logs + service + diagnostic)', tools: compact(['search_logs', 'check_service', 'run_diagnostic']) },
  ];
}
