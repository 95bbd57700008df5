/**
 * The tool specs a routine request sends to the local model, in ONE place for
 * bench/llm-tokens.bench.ts: today the registry's definitions as an OpenAI-style `tools` array
 * (scripts/tool-token-report.ts `openAiTools`). When the gateway's compact model-facing specs land,
 * point `routineToolSpecs` at them and the bench measures those instead.
 */
import { openAiTools } from '../scripts/tool-token-report.ts';
import { ALL_TOOLS, toolsFor } from '../src/app/tools/index.ts';
import { compactToolSpec } from '../src/app/llm/compact-tool-specs.ts';

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

/** The cases measured: the pre-classifier's 1–3 tools, the read subset, the act subset, every tool. */
export function routineToolSpecs(): ToolSpecCase[] {
  const read = toolsFor('read');
  const byName = (name: string) => ALL_TOOLS.filter((tool) => tool.name === name);
  return [
    { name: '1 tool (check_cluster_health)', tools: openAiTools(byName('check_cluster_health')) },
    { name: '1 tool (get_resource_usage)', tools: openAiTools(byName('get_resource_usage')) },
    { name: '2 tools (health + usage)', tools: openAiTools([...byName('check_cluster_health'), ...byName('get_resource_usage')]) },
    { name: '3 tools (health + usage + logs)', tools: openAiTools([...byName('check_cluster_health'), ...byName('get_resource_usage'), ...byName('search_logs')]) },
    { name: `read subset (${read.length} tools)`, tools: openAiTools(read) },
    { name: `act subset (${toolsFor('act').length} tools)`, tools: openAiTools(toolsFor('act')) },
    { name: `all tools (${ALL_TOOLS.length})`, tools: openAiTools(ALL_TOOLS) },
    { name: 'compact: 1 tool (get_resource_usage)', tools: compact(['get_resource_usage']) },
    { name: 'compact: 2 tools (health + usage)', tools: compact(['check_cluster_health', 'get_resource_usage']) },
    { name: 'compact: 3 tools (health + usage + logs)', tools: compact(['check_cluster_health', 'get_resource_usage', 'search_logs']) },
    { name: 'compact: 3 tools (logs + service + diagnostic)', tools: compact(['search_logs', 'check_service', 'run_diagnostic']) },
  ];
}
