import type { z } from 'zod';
import type { ConfigIssue } from './config-error.ts';

/** `['topology','nodes',1,'name']` -> `topology.nodes[1].name` */
export function dottedKey(path: readonly PropertyKey[]): string {
  let key = '';
  for (const part of path) {
    if (typeof part === 'number') key += `[${part}]`;
    else key += key === '' ? String(part) : `.${String(part)}`;
  }
  return key === '' ? '(root)' : key;
}

function expectedFor(issue: z.core.$ZodIssue): string {
  const custom = issue.message && !/^(Invalid input|Too (big|small)|Invalid (option|string|format))/.test(issue.message);
  if (custom) return issue.message.startsWith('expected') || issue.message.startsWith('required') ? issue.message : `expected ${issue.message}`;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}`;
    case 'too_small':
      return `expected at least ${String(issue.minimum)}`;
    default:
      return issue.message;
  }
}

/**
 * Turns zod issues (parsed with `reportInput: true`) into config issues. An unknown key becomes
 * one issue per key, named by its full dotted path, with the list of known keys when given.
 */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[], knownKeys: (path: readonly PropertyKey[]) => readonly string[] | undefined): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(issue.path);
      for (const key of issue.keys) {
        const hint = known && known.length > 0 ? `; known keys here: ${known.join(', ')}` : '';
        out.push({ key: dottedKey([...issue.path, key]), expected: `unknown key${hint}` });
      }
      continue;
    }
    const key = dottedKey(issue.path);
    // A missing key (also a cross-field "required when ..." check, which passes `input: undefined`).
    if ((issue.code === 'invalid_type' || issue.code === 'custom') && issue.input === undefined) {
      out.push({ key, expected: `missing; ${expectedFor(issue)}` });
      continue;
    }
    out.push({ key, value: issue.input, expected: expectedFor(issue) });
  }
  return out;
}
