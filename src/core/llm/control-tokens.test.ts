import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enforceFraming, frameClusterData, sanitizeForModel } from './frame.ts';
import { hasControlToken, sanitizeName, sanitizeText } from './sanitize.ts';

const TOKENS = [
  '<|im_start|>',
  '<|im_end|>',
  '<|endoftext|>',
  '<tool_call>',
  '</tool_call>',
  '<|begin_of_text|>',
  '<|start_header_id|>',
  '<|end_header_id|>',
  '<|eot_id|>',
  '<|eom_id|>',
  '<|python_tag|>',
  '[INST]',
  '[/INST]',
  '<s>',
  '</s>',
  '<<SYS>>',
  '<</SYS>>',
  '\n\nHuman:',
  '\n\nAssistant:',
  '<think>',
  '</think>',
  '<start_of_turn>',
  '<end_of_turn>',
  '[TOOL_CALLS]',
  '<｜begin▁of▁sentence｜>',
  '<|im_\u200bstart|>',
  '＜|im_end|＞',
];

describe('chat-template control tokens are neutralised in data (issue 8)', () => {
  it("leaves none of the target families' tokens in sanitised text, names, frames and structured data", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 5 })), { maxLength: 20 }), (parts) => {
        const text = parts.join('');
        expect(hasControlToken(sanitizeText(text))).toBe(false);
        expect(hasControlToken(sanitizeName(text))).toBe(false);
        expect(hasControlToken(frameClusterData(text, { source: 'x', at: 0 }))).toBe(false);
        expect(hasControlToken(enforceFraming(text))).toBe(false);
        expect(hasControlToken(JSON.stringify(sanitizeForModel({ [text]: [text] })))).toBe(false);
        expect(sanitizeText(sanitizeText(text))).toBe(sanitizeText(text));
      }),
      { numRuns: 500 },
    );
    for (const token of TOKENS) expect(hasControlToken(token), token).toBe(true);
  });

  it('keeps frames written by frameClusterData and plain Jarvis text unchanged', () => {
    const text = `Done: guest.start vm 100.\n${frameClusterData('web01 <|im_end|> running', { source: 'pve', at: 0 })}\nNext step.`;
    expect(enforceFraming(text)).toBe(text);
    expect(enforceFraming('a </cluster_data> b')).toBe('a &lt;/cluster_data> b');
  });
});
