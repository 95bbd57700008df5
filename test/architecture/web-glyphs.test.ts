/**
 * The dashboard writes its status symbols as text. Debian's chromium has no emoji font (DejaVu and
 * Liberation only), so an emoji-presentation character (⏳, 🛡, ✅…) renders as an empty box.
 * This walks web/src and allows only characters outside the emoji ranges.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../web/src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(tsx?|css)$/.test(name) ? [path] : [];
  });
}

/** Emoji-presentation code points: everything above the BMP, and the BMP ones with default emoji presentation. */
const EMOJI =
  /[\u{1F000}-\u{1FFFF}\u231A\u231B\u23E9-\u23EC\u23F0\u23F3\u23F8-\u23FA\u25FD\u25FE\u2614\u2615\u2648-\u2653\u267F\u2693\u26A1\u26AA\u26AB\u26BD\u26BE\u26C4\u26C5\u26CE\u26D4\u26EA\u26F2-\u26F5\u26FA\u26FD\u2705\u270A\u270B\u2728\u274C\u274E\u2753-\u2755\u2757\u2795-\u2797\u27B0\u27BF\u2B1B\u2B1C\u2B50\u2B55]|\uFE0F/u;

describe('dashboard glyphs', () => {
  it('uses no emoji-presentation character (they render as empty boxes without an emoji font)', () => {
    const found = files(root).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, index) => (EMOJI.test(line) ? [`${path.slice(root.length + 1)}:${index + 1}: ${line.trim().slice(0, 80)}`] : [])),
    );
    expect(found).toEqual([]);
  });
});
