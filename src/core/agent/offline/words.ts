/**
 * Word helpers of the offline parser: normalisation, tokens, and a bounded edit distance
 * (optimal string alignment: a transposition costs 1) for typo-tolerant keyword and name matching.
 * Pure.
 */

/** Longest input the parser looks at (bounds the work on hostile input). */
export const MAX_INPUT = 500;

/** Lower-case, NFKC, control/format characters removed, whitespace collapsed. */
export function normalize(text: string): string {
  return String(text)
    .slice(0, MAX_INPUT)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/[’`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Tokens: runs of letters, digits and `_ . : / -`, with trailing punctuation removed. */
export function tokenize(normalized: string): string[] {
  return normalized
    .split(/[^\p{L}\p{N}_.:/-]+/u)
    .map((token) => token.replace(/^[.:/-]+|[.:/-]+$/g, ''))
    .filter((token) => token.length > 0);
}

/** Edit distance with transpositions, capped: returns `cap + 1` as soon as it must exceed `cap`. */
export function editDistance(a: string, b: string, cap = 2): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) rows.push([i]);
  for (let j = 1; j <= b.length; j += 1) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
      best = Math.min(best, value);
    }
    if (best > cap) return cap + 1;
  }
  return rows[a.length]![b.length]!;
}

/** Typos tolerated for a word of this length: none below 4 letters, 1 up to 7, 2 from 8. */
export function tolerance(length: number): number {
  return length < 4 ? 0 : length < 8 ? 1 : 2;
}

/** True when `token` is `word` or a tolerated typo of it. */
export function near(token: string, word: string): boolean {
  if (token === word) return true;
  const allowed = tolerance(Math.min(token.length, word.length));
  return allowed > 0 && editDistance(token, word, allowed) <= allowed;
}
