import type { ConfigBinding, ConfigSection, ScalarKind } from './sections/config-section.ts';
import type { ConfigIssue } from './config-error.ts';

/** Converts a string from the environment or the command line; undefined + issue on failure. */
function convert(kind: ScalarKind, text: string): { value?: unknown; expected?: string } {
  switch (kind) {
    case 'string':
      return { value: text };
    case 'number': {
      const value = Number(text);
      return text.trim() !== '' && Number.isFinite(value) ? { value } : { expected: 'expected a number' };
    }
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(text)) return { value: true };
      if (/^(0|false|no|off)$/i.test(text)) return { value: false };
      return { expected: 'expected true or false (also 1/0, yes/no)' };
    case 'list':
      return {
        value: text
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      };
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/**
 * Applies `JARVIS_*` env values, then CLI flag values, onto the raw (parsed YAML) object, so the
 * precedence is flag > env > file > default. Returns the issues for unconvertible values.
 */
export function applyOverrides(
  raw: Record<string, unknown>,
  sections: readonly ConfigSection[],
  env: Readonly<Record<string, string | undefined>>,
  flags: ReadonlyMap<string, string>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const apply = (section: ConfigSection, binding: ConfigBinding, text: string) => {
    const converted = convert(binding.kind, text);
    if (converted.expected) issues.push({ key: binding.name, value: text, expected: converted.expected });
    else setPath(raw, [section.key, ...binding.path], converted.value);
  };
  for (const section of sections) {
    for (const binding of section.env ?? []) {
      const text = env[binding.name];
      if (text !== undefined && text !== '') apply(section, binding, text);
    }
  }
  for (const section of sections) {
    for (const binding of section.flags ?? []) {
      const text = flags.get(binding.name);
      if (text !== undefined) apply(section, binding, text);
    }
  }
  return issues;
}

/** Flags every config-aware command accepts: `--config` plus the sections' flags. */
export function configFlagNames(sections: readonly ConfigSection[]): string[] {
  return ['--config', ...sections.flatMap((section) => (section.flags ?? []).map((binding) => binding.name))];
}

/**
 * Splits argv into config flags (`--port 8080` or `--port=8080`) and the rest, which the command
 * parses itself. A config flag without a value is an issue.
 */
export function parseConfigFlags(
  argv: readonly string[],
  sections: readonly ConfigSection[],
): { flags: Map<string, string>; rest: string[]; issues: ConfigIssue[] } {
  const known = new Set(configFlagNames(sections));
  const flags = new Map<string, string>();
  const rest: string[] = [];
  const issues: ConfigIssue[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (!known.has(name)) {
      rest.push(arg);
      continue;
    }
    const value = equals > 0 ? arg.slice(equals + 1) : argv[index + 1];
    if (equals < 0) index += 1;
    if (value === undefined || (equals < 0 && value.startsWith('--'))) {
      issues.push({ key: name, expected: 'expected a value after the flag' });
      if (value !== undefined) index -= 1;
      continue;
    }
    flags.set(name, value);
  }
  return { flags, rest, issues };
}
