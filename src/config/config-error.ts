import { jarvisError, type JarvisError } from '../core/errors.ts';

/** One problem in the configuration: the dotted key, the value found and what was expected. */
export interface ConfigIssue {
  /** Dotted key (`server.port`, `topology.nodes[1].name`), an env var name, or `(file)`. */
  readonly key: string;
  /** The offending value; absent when the key is missing or the value is a secret. */
  readonly value?: unknown;
  readonly expected: string;
}

/** Builds the CONFIG_INVALID error that carries the issues in `details.issues`. */
export function configError(issues: readonly ConfigIssue[], source?: string): JarvisError {
  const first = issues[0];
  const summary = first ? formatIssue(first) : 'invalid configuration';
  return jarvisError('CONFIG_INVALID', summary, {
    hint: 'fix the key in the config file (see deploy/jarvis.example.yaml and docs/configuration.md)',
    details: { issues, ...(source !== undefined ? { source } : {}) },
  });
}

/** Issues of a CONFIG_INVALID error (empty for other errors). */
export function configIssues(error: JarvisError): readonly ConfigIssue[] {
  const issues = error.details?.['issues'];
  return Array.isArray(issues) ? (issues as ConfigIssue[]) : [];
}

const MAX_VALUE_CHARS = 60;

/** Short, single-line rendering of a value for error messages. */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'nothing';
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      text = typeof value;
    }
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** `key: got VALUE; expected ...` (the value part is dropped when there is none). */
export function formatIssue(issue: ConfigIssue): string {
  const got = 'value' in issue ? ` got ${showValue(issue.value)};` : '';
  return `${issue.key}:${got} ${issue.expected}`;
}

/**
 * The text `jarvis start`/`doctor` print on stderr for an invalid config: a short header and one
 * line per issue (at most 8), never a stack trace.
 */
export function formatConfigError(error: JarvisError): string {
  const issues = configIssues(error);
  const source = typeof error.details?.['source'] === 'string' ? ` (${error.details['source']})` : '';
  const lines = issues.length > 0 ? issues.slice(0, 8).map((issue) => `  - ${formatIssue(issue)}`) : [`  - ${error.message}`];
  if (issues.length > 8) lines.push(`  … and ${issues.length - 8} more`);
  return `jarvis: invalid configuration${source}\n${lines.join('\n')}\n`;
}
