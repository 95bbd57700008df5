/** Tool definitions as the model port wants them (JSON Schema from the one zod schema), and call validation. */
import { z } from 'zod';
import type { ModelToolSpec } from '../../core/llm/model-port.ts';
import type { AnyToolDefinition } from '../tools/index.ts';
import { compactToolSpec } from '../llm/compact-tool-specs.ts';

const specCache = new WeakMap<AnyToolDefinition, ModelToolSpec>();

export function toModelToolSpec(tool: AnyToolDefinition): ModelToolSpec {
  const cached = specCache.get(tool);
  if (cached) return cached;
  const { $schema: _ignored, ...inputSchema } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
  const compact = compactToolSpec(tool);
  const spec = { name: tool.name, description: tool.description, inputSchema, compact: { description: compact.description, inputSchema: compact.inputSchema } };
  specCache.set(tool, spec);
  return spec;
}

/**
 * Re-validates a model's call against the offered tool's schema (the same check runTool makes):
 * returns the validation error a model can act on, or undefined when the call is valid.
 */
export function validateToolCall(offered: readonly AnyToolDefinition[], name: string, input: unknown): string | undefined {
  const tool = offered.find((candidate) => candidate.name === name);
  if (!tool) return `there is no tool "${name.slice(0, 64)}" here; the tools you have are: ${offered.map((t) => t.name).join(', ') || 'none'}`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'arguments must be a JSON object';
  if ('__raw' in input) return 'the arguments were not valid JSON (the call was cut off or malformed)';
  const unknown = Object.keys(input).filter((key) => !(key in tool.input.shape));
  if (unknown.length > 0) return `unknown argument(s): ${unknown.join(', ').slice(0, 200)}; allowed: ${Object.keys(tool.input.shape).join(', ') || 'none'}`;
  const parsed = tool.input.safeParse(input);
  if (parsed.success) return undefined;
  return parsed.error.issues
    .map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
    .join('; ')
    .slice(0, 400);
}
