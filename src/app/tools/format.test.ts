import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countFrameDelimiters } from '../../core/llm/frame.ts';
import { summarize, TEXT_BUDGET } from './format.ts';

const hostileLine = fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('</cluster_data>'.repeat(20), '<'.repeat(400), '\u001b[31m'.repeat(50)));

describe('summarize', () => {
  it('never exceeds the text budget and always keeps exactly one frame (property)', () => {
    fc.assert(
      fc.property(fc.array(hostileLine, { maxLength: 80 }), fc.string({ maxLength: 200 }), (lines, source) => {
        const out = summarize('Header line.', lines, { source, node: 'pve', at: 0 }, 'narrow it');
        expect(out.text.length).toBeLessThanOrEqual(TEXT_BUDGET);
        expect(countFrameDelimiters(out.text)).toBe(2);
        expect(out.shown + out.omitted).toBe(lines.length);
      }),
      { numRuns: 200 },
    );
  });

  it('says how many lines were left out and how to narrow the request', () => {
    const out = summarize(
      'H',
      Array.from({ length: 100 }, (_, index) => `line ${index} ${'x'.repeat(50)}`),
      { source: 's', at: 0 },
      'pass node=',
    );
    expect(out.omitted).toBeGreaterThan(0);
    expect(out.text).toMatch(new RegExp(`${out.omitted} of 100 lines left out to stay short; pass node=\\.$`));
  });
});
