import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capLength, sanitizeName, sanitizeText } from './sanitize.ts';

/** Characters that must never survive sanitisation (newline and tab are allowed in multi-line text). */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\u2028\u2029]/u;
const forbiddenExceptLayout = (text: string): boolean => FORBIDDEN.test(text.replace(/[\n\t]/g, ''));

const hostile = fc.constantFrom(
  '\u001b[31m',
  '\u001b[0m',
  '\u001b]0;title\u0007',
  '\u001b]8;;http://x\u001b\\',
  '\u009b2J',
  '\u001bc',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u200b',
  '\u200c',
  '\u200d',
  '\ufeff',
  '\u2060',
  '\u00ad',
  '\u{e0041}',
  '\u{e0069}',
  '\u0000',
  '\u0007',
  '\u007f',
  '\u0085',
  '\r',
  '\u2028',
  '\ud800',
  '\udfff',
  '\ue000',
);
const hostileText = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme' }), hostile, fc.string({ unit: 'binary' })), { maxLength: 30 })
  .map((parts) => parts.join(''));

describe('sanitizeText', () => {
  it('lets no control, bidi, zero-width, tag or surrogate character survive (property)', () => {
    fc.assert(
      fc.property(hostileText, fc.boolean(), (text, singleLine) => {
        const out = sanitizeText(text, { singleLine });
        expect(forbiddenExceptLayout(out)).toBe(false);
        if (singleLine) expect(out).not.toMatch(/[\n\t]/);
      }),
      { numRuns: 500 },
    );
  });

  it('never exceeds the cap and marks a cut (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 16, max: 200 }), (text, maxLength) => {
        const out = sanitizeText(text, { maxLength });
        expect(Array.from(out).length).toBeLessThanOrEqual(maxLength);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(sanitizeText(sanitizeText(text))).toBe(sanitizeText(text));
      }),
      { numRuns: 300 },
    );
  });

  it('strips ANSI colour and OSC title sequences but keeps the visible text', () => {
    expect(sanitizeText('\u001b[1;31mERROR\u001b[0m disk \u001b]0;pwned\u0007full')).toBe('ERROR disk full');
  });

  it('removes bidi overrides and zero-width characters hidden in a name', () => {
    expect(sanitizeName('web\u200b-01\u202egnp.exe')).toBe('web-01gnp.exe');
  });

  it('folds full-width look-alikes of the frame delimiter into ASCII', () => {
    expect(sanitizeText('\uff1c/cluster_data\uff1e')).toBe('</cluster_data>');
  });

  it('keeps newlines in logs and folds them in names', () => {
    expect(sanitizeText('a\r\nb\u2028c')).toBe('a\nb\nc');
    expect(sanitizeName(' a\n\tb ')).toBe('a b');
  });

  it('caps long text with a marker that says how much was cut', () => {
    const out = capLength('x'.repeat(100), 40);
    expect(out).toMatch(/…\[\+\d+ chars cut\]$/);
    expect(out.length).toBeLessThanOrEqual(40);
    expect(out.length).toBeGreaterThan(35);
  });
});
