import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelToolSpec } from './model-port.ts';
import { estimateToolTokens, fitToolsToBudget, TOOL_BLOCK_OVERHEAD_TOKENS } from './tool-budget.ts';

const spec = fc.record({
  name: fc.string({ minLength: 1, maxLength: 40 }),
  description: fc.string({ maxLength: 200 }),
  inputSchema: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
}) as fc.Arbitrary<ModelToolSpec>;

describe('fitToolsToBudget', () => {
  it('never exceeds the budget, keeps the offered order, and every tool is either kept or dropped', () => {
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 6 }), fc.integer({ min: 0, max: 2000 }), (specs, budget) => {
        const fit = fitToolsToBudget(specs, budget);
        if (fit.tools.length > 0) expect(fit.estimatedTokens).toBeLessThanOrEqual(budget);
        expect(fit.estimatedTokens).toBe(
          fit.tools.length === 0 ? 0 : TOOL_BLOCK_OVERHEAD_TOKENS + fit.tools.reduce((sum, tool) => sum + estimateToolTokens(tool), 0),
        );
        expect(fit.tools.length + fit.dropped.length).toBe(specs.length);
        // order preserved: kept tools appear in the offered order
        const positions = fit.tools.map((tool) => specs.indexOf(tool));
        expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        // the first tool is kept whenever it fits alone
        if (specs[0] && TOOL_BLOCK_OVERHEAD_TOKENS + estimateToolTokens(specs[0]) <= budget) expect(fit.tools[0]).toBe(specs[0]);
      }),
    );
  });

  it('skips a tool that does not fit and still keeps a later, smaller one', () => {
    const small = (name: string): ModelToolSpec => ({ name, description: '', inputSchema: { type: 'object' } });
    const big: ModelToolSpec = { name: 'big', description: 'x'.repeat(600), inputSchema: {} };
    const fit = fitToolsToBudget([small('a'), big, small('b')], 160);
    expect(fit.tools.map((tool) => tool.name)).toEqual(['a', 'b']);
    expect(fit.dropped).toEqual(['big']);
  });

  it('estimates the template line at 3 characters per token, rounded up', () => {
    const tool: ModelToolSpec = { name: 'n', description: 'd', inputSchema: { type: 'object' } };
    const line = '{"type": "function", "function": {"name": "n", "description": "d", "parameters": {"type": "object"}}}';
    expect(estimateToolTokens(tool)).toBe(Math.ceil((line.length + 1) / 3));
  });
});
