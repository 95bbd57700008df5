import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toShellLine, type RenderedCommand } from '../../src/core/safety/command-catalogue.ts';

/** What a real POSIX shell makes of the exec line the SSH runner sends (printf echoes each arg on its own line, NUL-separated). */
function throughRealShell(args: readonly string[]): string[] {
  const line = toShellLine({ argv: ['printf', '%s\\0', ...args] } as unknown as RenderedCommand);
  const output = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' } });
  return output.split('\0').slice(0, -1);
}

describe('the exec line the SSH runner sends, read by a real /bin/sh', () => {
  it('delivers shell metacharacters literally and runs nothing else', () => {
    const hostile = [
      `x; touch /tmp/jarvis-pwned`,
      '$(id)',
      '`id`',
      "it's",
      '"double"',
      'a\\b',
      '| cat /etc/passwd',
      '&& reboot',
      '> /dev/null',
      '*',
      '~',
      '\n next line',
      '$HOME',
      '',
    ];
    expect(throughRealShell(hostile)).toEqual(hostile);
  });

  it('round-trips arbitrary arguments (no NUL, which argv cannot hold)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'grapheme', maxLength: 20 }).filter((text) => !text.includes('\0')),
          { minLength: 1, maxLength: 5 },
        ),
        (args) => {
          expect(throughRealShell(args)).toEqual(args);
        },
      ),
      { numRuns: 40 },
    );
  });
});
