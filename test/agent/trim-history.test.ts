import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { estimateTokens, trimHistory } from '../../src/app/agent/trim-history.ts';
import type { ModelMessage } from '../../src/core/llm/model-port.ts';

const turn = (index: number): ModelMessage[] => [
  { role: 'user', content: `question ${index} ${'x'.repeat(100)}` },
  { role: 'assistant', content: '', toolCalls: [{ id: `c${index}`, name: 'check_cluster_health', input: {} }] },
  { role: 'tool', toolCallId: `c${index}`, toolName: 'check_cluster_health', content: 'y'.repeat(200) },
  { role: 'assistant', content: `answer ${index}` },
];

describe('history trimming', () => {
  it('keeps the newest whole turns within the budget and summarises the rest in one line', () => {
    const messages = [0, 1, 2, 3].flatMap(turn);
    const { kept, summary } = trimHistory(messages, 250);
    expect(kept[0]?.role).toBe('user');
    expect(kept.map((message) => message.content).join(' ')).toContain('answer 3');
    expect(kept.map((message) => message.content).join(' ')).not.toContain('question 0');
    expect(summary).toMatch(/^Earlier in this conversation \(\d+ message\(s\) left out/);
    expect(summary).toContain('question 0');
    expect(summary!.includes('\n')).toBe(false);
  });

  it('never exceeds the budget and never separates a tool result from its turn', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 2000 }), (turns, budget) => {
        const messages = Array.from({ length: turns }, (_, index) => turn(index)).flat();
        const { kept, summary } = trimHistory(messages, budget);
        const used = kept.reduce((sum, message) => sum + estimateTokens(message.content), 0);
        return used <= budget && (kept.length === 0 || kept[0]!.role === 'user') && (kept.length === messages.length) === (summary === undefined);
      }),
    );
  });
});
