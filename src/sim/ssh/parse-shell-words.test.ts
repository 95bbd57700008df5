import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../core/safety/command-catalogue.ts';
import { parseShellWords } from './parse-shell-words.ts';

describe('parseShellWords', () => {
  it('splits plain words on whitespace', () => {
    expect(parseShellWords('df -P  -B1\t-x tmpfs')).toEqual({ ok: true, argv: ['df', '-P', '-B1', '-x', 'tmpfs'] });
  });

  it('keeps single-quoted text literally, including the space of a journal timestamp', () => {
    expect(parseShellWords(`'journalctl' '--since' '2026-11-25 09:00:00'`)).toEqual({ ok: true, argv: ['journalctl', '--since', '2026-11-25 09:00:00'] });
  });

  it("reads the '\\'' idiom as one literal quote", () => {
    expect(parseShellWords(`'it'\\''s'`)).toEqual({ ok: true, argv: ["it's"] });
  });

  it('refuses unquoted shell operators instead of interpreting them', () => {
    for (const line of ['df; rm -rf /', 'df | sh', 'echo $(id)', 'echo `id`', 'a && b', 'x > /etc/passwd', 'a\nb']) {
      expect(parseShellWords(line).ok).toBe(false);
    }
  });

  it('refuses expansion inside double quotes and unterminated quotes', () => {
    expect(parseShellWords('"$HOME"').ok).toBe(false);
    expect(parseShellWords("'open").ok).toBe(false);
    expect(parseShellWords('"open').ok).toBe(false);
  });

  it('round-trips any argv quoted with the catalogue quoting', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 1, maxLength: 8 }), (argv) => {
        expect(parseShellWords(argv.map(shellQuote).join(' '))).toEqual({ ok: true, argv });
      }),
      { numRuns: 150 },
    );
  });
});
