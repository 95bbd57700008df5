/**
 * Labelled operator requests for the tool-selection eval (issue 11). A case = phrasings + the
 * expected tool and arguments, or `clarify` (must not act), or `refuse` (must not act: not a
 * Jarvis capability). Built from the offline corpus (test/corpus/offline-phrasings.ts): phrasings
 * with the same expected call form one case; each ambiguous or refused phrasing is its own case.
 */
import { OFFLINE_PHRASINGS, type Expected } from '../../test/corpus/offline-phrasings.ts';

export type EvalExpectation = { readonly tool: string; readonly input: Readonly<Record<string, unknown>> } | 'clarify' | 'refuse';

export interface EvalCase {
  readonly id: string;
  readonly phrasings: readonly string[];
  readonly expected: EvalExpectation;
}

function key(expected: Expected): string | undefined {
  if (typeof expected === 'string' || 'ticket' in expected) return undefined;
  return `${expected.tool} ${JSON.stringify(Object.fromEntries(Object.entries(expected.input).sort(([a], [b]) => a.localeCompare(b))))}`;
}

export function buildEvalCases(): EvalCase[] {
  const byCall = new Map<string, { expected: EvalExpectation; phrasings: string[] }>();
  const single: EvalCase[] = [];
  for (const [text, expected] of OFFLINE_PHRASINGS) {
    if (text.trim() === '') continue;
    const callKey = key(expected);
    if (callKey && typeof expected === 'object' && 'tool' in expected) {
      const entry = byCall.get(callKey) ?? { expected: { tool: expected.tool, input: expected.input }, phrasings: [] };
      entry.phrasings.push(text);
      byCall.set(callKey, entry);
    } else if (expected === 'clarify' || expected === 'unsupported') {
      single.push({
        id: `${expected === 'clarify' ? 'clarify' : 'refuse'}-${single.length + 1}`,
        phrasings: [text],
        expected: expected === 'clarify' ? 'clarify' : 'refuse',
      });
    }
  }
  const calls = [...byCall.values()].map((entry, index) => ({ id: `call-${index + 1}`, phrasings: entry.phrasings, expected: entry.expected }));
  return [...calls, ...single];
}

export const EVAL_CASES: readonly EvalCase[] = buildEvalCases();
