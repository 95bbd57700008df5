/**
 * Argument parsing for every `jarvis` command: `node:util` `parseArgs` (strict), plus the config
 * flags every config-aware command accepts (`--config`, `--data-dir`, `--port`, `--sim-nodes`, ...
 * as declared by the config sections), which are handed to `loadConfig` unchanged.
 * A usage error is a message naming the option and `jarvis <command> --help`; the caller prints it
 * and exits 2.
 */
import { parseArgs } from 'node:util';
import { formatConfigError, loadConfig, SECTIONS, type JarvisConfig } from '../../config/index.ts';
import { err, ok, type Result } from '../../core/errors.ts';
import { COMMAND_ARGS, type CommandName, type OptionDoc } from '../command-options.ts';

/** One option of a command, as `parseArgs` takes it (`name` is the long form without `--`). */
export type OptionSpec = Pick<OptionDoc, 'type' | 'short' | 'multiple'>;

export type CommandOptions = Readonly<Record<string, OptionSpec>>;

/** What `parseCommandArgs` returns: the command's own option values, its positionals, and the config flags as argv. */
export interface ParsedArgs {
  /** A string option's value (the last one given), or undefined. */
  string(name: string): string | undefined;
  /** A boolean option: true when given. */
  flag(name: string): boolean;
  /** A repeatable string option's values, in order. */
  list(name: string): string[];
  readonly positionals: readonly string[];
  /** The config flags exactly as given (`--data-dir`, `DIR`, ...), for `loadConfig({ argv })`. */
  readonly configArgv: readonly string[];
}

/** One config flag: its name (`--port`), the config key it sets (`server.port`) and its value's placeholder. */
export interface ConfigFlagDoc {
  readonly name: string;
  readonly key: string;
  readonly value: string;
}

/** The config flags of every section (`--config`, then each section's bindings), for parsing and for `--help`. */
export function configFlagDocs(): ConfigFlagDoc[] {
  const placeholder = (binding: { readonly path: readonly string[]; readonly kind: string }): string => {
    const key = binding.path.at(-1) ?? '';
    if (/dir$/i.test(key)) return 'DIR';
    if (/url$/i.test(key)) return 'URL';
    if (key === 'host') return 'ADDR';
    return { number: 'N', boolean: 'BOOL', list: 'A,B' }[binding.kind] ?? 'VALUE';
  };
  return [
    { name: '--config', key: 'jarvis.yaml (default: none, the seed homelab)', value: 'FILE' },
    ...SECTIONS.flatMap((section) =>
      (section.flags ?? []).map((binding) => ({ name: binding.name, key: `${section.key}.${binding.path.join('.')}`, value: placeholder(binding) })),
    ),
  ];
}

/** The config flags of every section (`--config`, `--data-dir`, `--port`, `--sim-nodes`, ...), as parseArgs options. */
export function configOptions(): Record<string, OptionSpec> {
  return Object.fromEntries(configFlagDocs().map((flag) => [flag.name.slice(2), { type: 'string' as const }]));
}

/**
 * Parses `args` (after the command name) with the command's row of `COMMAND_ARGS`, the same table
 * its `--help` lists: its own options, the config flags when it is config-aware, and at most its
 * number of positionals (default 0).
 * Returns the values or a usage message (`jarvis <command>: unknown option '--x' (see `jarvis <command> --help`)`).
 */
export function parseCommandArgs(command: CommandName, args: readonly string[]): Result<ParsedArgs, string> {
  const shape: { readonly options: Readonly<Record<string, OptionDoc>>; readonly config?: boolean; readonly positionals?: number } = COMMAND_ARGS[command];
  const options: CommandOptions = Object.fromEntries(
    Object.entries(shape.options).map(([name, option]) => [
      name,
      { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) },
    ]),
  );
  const config = shape.config ? configOptions() : {};
  const all = { ...config, ...options };
  const help = `see \`jarvis ${command} --help\``;
  const parsed = strictParse(args, all);
  if (parsed === undefined) return err(`jarvis ${command}: ${explain(args, all)} (${help})`);
  const max = shape.positionals ?? 0;
  if (parsed.positionals.length > max) {
    return err(`jarvis ${command}: unexpected argument '${parsed.positionals[max]}' (${help})`);
  }
  const configArgv: string[] = [];
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (token.name in config && !(token.name in options)) configArgv.push(`--${token.name}`, token.value ?? '');
  }
  const values: Record<string, unknown> = parsed.values;
  const own = (name: string): unknown => (name in options ? values[name] : undefined);
  return ok({
    string: (name) => {
      const value = own(name);
      return typeof value === 'string' ? value : undefined;
    },
    flag: (name) => own(name) === true,
    list: (name) => {
      const value = own(name);
      return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    },
    positionals: parsed.positionals,
    configArgv,
  });
}

/** The options part of `jarvis <command> --help`, from the same table `parseCommandArgs` parses with. */
export function optionsHelp(command: CommandName): string {
  const shape: { readonly options: Readonly<Record<string, OptionDoc>>; readonly config?: boolean } = COMMAND_ARGS[command];
  const line = (flag: string, text: string): string => `  ${flag.padEnd(26)} ${text}`;
  const own = Object.entries(shape.options).map(([name, option]) =>
    line(`${option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` ${option.value}` : ''}`, option.description),
  );
  const blocks = own.length > 0 ? [`options:\n${own.join('\n')}`] : [];
  if (shape.config) {
    const flags = configFlagDocs().map((flag) => line(`${flag.name} ${flag.value}`, flag.key));
    blocks.push(`config flags (flag > JARVIS_* env > file > default; every key: docs/configuration.md):\n${flags.join('\n')}`);
  }
  return blocks.join('\n\n');
}

/** Strict parseArgs, or undefined when it refuses the arguments. */
function strictParse(args: readonly string[], options: Record<string, OptionSpec>) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true, tokens: true });
  } catch {
    return undefined;
  }
}

/** Why strict parsing failed, from a lenient pass over the same arguments (never from the error text). */
function explain(args: readonly string[], options: Record<string, OptionSpec>): string {
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (!spec) return `unknown option '${token.rawName}'`;
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))))
      return `option ${token.rawName} needs a value`;
    if (spec.type === 'boolean' && token.inlineValue) return `option ${token.rawName} takes no value`;
  }
  return 'invalid arguments';
}

/**
 * Loads the config from the parsed config flags (precedence flag > env > file > default). Prints
 * the config error (naming the key) and returns undefined on failure: the command exits 2.
 */
export function loadCommandConfig(parsed: Pick<ParsedArgs, 'configArgv'>): { config: JarvisConfig; warnings: readonly string[] } | undefined {
  const loaded = loadConfig({ argv: parsed.configArgv });
  if (!loaded.ok) {
    process.stderr.write(formatConfigError(loaded.error));
    return undefined;
  }
  return { config: loaded.value.config, warnings: loaded.value.warnings };
}

/** Parses a non-negative integer option value; a message naming the option when it is not one. */
export function integerOption(name: string, value: string | undefined, range: { min: number; max: number }): Result<number | undefined, string> {
  if (value === undefined) return ok(undefined);
  const number = Number(value);
  if (!Number.isInteger(number) || number < range.min || number > range.max)
    return err(`--${name} expects an integer ${range.min}..${range.max}, got '${value}'`);
  return ok(number);
}
