import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availableContext, calibrate, INITIAL_CALIBRATION, promptTokens, trimHistory } from './context-budget.ts';
import type { ModelMessage } from './model-port.ts';

describe('context budget', () => {
  it('is slot − system − tools − query − reserve', () => {
    expect(availableContext({ slotContext: 1024, systemTokens: 200, toolTokens: 150, queryTokens: 50, responseReserve: 300 })).toBe(324);
  });

  it('never exceeds the slot and never goes negative (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 << 20 }),
        fc.array(fc.double({ min: -1e6, max: 1e7, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (slot, [system, tools, query, reserve]) => {
          const parts = { slotContext: slot, systemTokens: system!, toolTokens: tools!, queryTokens: query!, responseReserve: reserve! };
          const available = availableContext(parts);
          expect(available).toBeGreaterThanOrEqual(0);
          expect(available).toBeLessThanOrEqual(slot);
          const used = [system!, tools!, query!, reserve!].reduce((sum, value) => sum + Math.max(0, Math.ceil(value)), 0);
          if (available > 0) expect(available + used).toBeLessThanOrEqual(slot);
        },
      ),
    );
  });

  it('calibrates towards the server-reported ratio and stays in range', () => {
    let calibration = INITIAL_CALIBRATION;
    for (let index = 0; index < 200; index += 1) calibration = calibrate(calibration, 4000, 1000);
    expect(calibration.charsPerToken).toBeCloseTo(4, 1);
    expect(calibrate(calibration, 100, 0)).toBe(calibration);
    expect(calibrate(INITIAL_CALIBRATION, 300, 1000).charsPerToken).toBeGreaterThanOrEqual(1.5);
    expect(calibrate(INITIAL_CALIBRATION, 50, 5)).toBe(INITIAL_CALIBRATION);
  });

  it('trims the oldest turns, keeps the last question and never starts at a tool result', () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'a'.repeat(3000) },
      { role: 'assistant', content: '', toolCalls: [{ id: '1', name: 'check_cluster_health', input: {} }] },
      { role: 'tool', toolCallId: '1', toolName: 'check_cluster_health', content: 'b'.repeat(3000) },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'how is vm 104?' },
    ];
    const trimmed = trimHistory({ system: 'persona', messages }, 200, INITIAL_CALIBRATION);
    expect(trimmed).toEqual([messages[4]]);
    expect(trimHistory({ system: 'persona', messages }, 5, INITIAL_CALIBRATION)).toBeUndefined();
    expect(trimHistory({ system: 'p', messages }, 100_000, INITIAL_CALIBRATION)).toEqual(messages);
  });

  it('trimmed history always fits the limit or is refused (property)', () => {
    const message = fc.oneof(
      fc.record({ role: fc.constant('user' as const), content: fc.string({ maxLength: 400 }) }),
      fc.record({ role: fc.constant('assistant' as const), content: fc.string({ maxLength: 400 }) }),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 12 }), fc.integer({ min: 0, max: 2000 }), (messages, limit) => {
        const trimmed = trimHistory({ system: 's', messages }, limit, INITIAL_CALIBRATION);
        if (trimmed !== undefined) expect(promptTokens({ system: 's', messages: trimmed }, INITIAL_CALIBRATION)).toBeLessThanOrEqual(limit);
      }),
    );
  });
});
