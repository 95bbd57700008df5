/**
 * How many prompt tokens a request's tool definitions may cost on the local model, and which of
 * the offered tools fit. The small model's slot is ~1024 tokens; the tools of a routine request
 * must stay within `budget` (256 by default, issue 10) INCLUDING the chat template's tool block.
 *
 * Measured on the real llama-server b11669 with the Qwen2.5 template (bench/llm-tokens.bench.ts):
 * the template's `# Tools` instructions cost 76 tokens once, and each tool is printed as one
 * `tojson` line (`{"type": "function", "function": {...}}`) at 3.27-3.83 characters per token.
 * The estimate below rounds both up (80 fixed, 3 characters per token), so it never undercounts.
 *
 * Pure: the spec JSON in, a decision out.
 */
import type { ModelToolSpec } from './model-port.ts';

/** The template's fixed tool-block cost, tokens (measured 76; rounded up). */
export const TOOL_BLOCK_OVERHEAD_TOKENS = 80;
/** Characters per token used for the estimate (measured minimum 3.27). */
const CHARS_PER_TOKEN = 3;

/** The line the Qwen2.5 template prints for one tool: `tojson` with ", " and ": " separators. */
function templateLine(spec: ModelToolSpec): string {
  const fn = { name: spec.name, description: spec.description, parameters: spec.inputSchema };
  return JSON.stringify({ type: 'function', function: fn }).replace(/,"/g, ', "').replace(/":/g, '": ');
}

/** Conservative token estimate of one tool's line in the template (newline included). */
export function estimateToolTokens(spec: ModelToolSpec): number {
  return Math.ceil((templateLine(spec).length + 1) / CHARS_PER_TOKEN);
}

export interface ToolFit {
  readonly tools: readonly ModelToolSpec[];
  /** Tools left out because they did not fit, in the order offered. */
  readonly dropped: readonly string[];
  /** Estimated tokens of the tools kept, template overhead included (0 when none). */
  readonly estimatedTokens: number;
}

/**
 * Keeps the offered tools in their order (most relevant first) while the estimate stays within
 * `budget`; a tool that does not fit is skipped and a later, smaller one may still be kept.
 * The first tool is kept whenever it fits alone.
 */
export function fitToolsToBudget(specs: readonly ModelToolSpec[], budget: number): ToolFit {
  const kept: ModelToolSpec[] = [];
  const dropped: string[] = [];
  let used = TOOL_BLOCK_OVERHEAD_TOKENS;
  for (const spec of specs) {
    const cost = estimateToolTokens(spec);
    if (used + cost <= budget) {
      kept.push(spec);
      used += cost;
    } else dropped.push(spec.name);
  }
  return { tools: kept, dropped, estimatedTokens: kept.length === 0 ? 0 : used };
}
