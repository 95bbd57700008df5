import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { err, ok, type JarvisError, type Result } from '../core/errors.ts';
import { configError, type ConfigIssue } from './config-error.ts';
import { configFileSchema, type ConfigFile } from './config-schema.ts';
import { toConfigIssues } from './format-zod-issue.ts';
import type { JarvisConfig } from './jarvis-config.ts';
import { knownKeysAt } from './known-keys.ts';
import { applyOverrides, parseConfigFlags } from './overrides.ts';
import { findSecretKeys } from './secret-keys.ts';
import { resolveSecrets, SECRET_ENV } from './secrets.ts';
import { SECTIONS } from './sections/index.ts';
import { checkTopology, toTopology } from './to-topology.ts';

export interface LoadConfigInput {
  /** Command arguments (after the command name); config flags are consumed, the rest returned. */
  readonly argv?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Base for relative paths (default: process.cwd()). */
  readonly cwd?: string;
  /** Injectable for tests; default fs.readFileSync(path, 'utf8'). */
  readonly readFile?: (path: string) => string;
}

export interface LoadedConfig {
  readonly config: JarvisConfig;
  /** Arguments that were not config flags, for the command to parse. */
  readonly rest: readonly string[];
  /** Non-fatal findings for the log, e.g. an unknown JARVIS_* variable (a typo is ignored otherwise). */
  readonly warnings: readonly string[];
}

/** JARVIS_* variables read by other parts of the product (the stdio MCP proxy, the test setup). */
const OTHER_JARVIS_VARIABLES = new Set(['JARVIS_CONFIG', 'JARVIS_URL', 'JARVIS_TOKEN', 'JARVIS_TOKEN_FILE', 'JARVIS_TEST']);

function unknownVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  const known = new Set(OTHER_JARVIS_VARIABLES);
  for (const section of SECTIONS) for (const binding of section.env ?? []) known.add(binding.name);
  for (const variable of Object.values(SECRET_ENV)) {
    known.add(variable);
    known.add(`${variable}_FILE`);
  }
  return Object.keys(env)
    .filter((name) => name.startsWith('JARVIS_') && !known.has(name))
    .map((name) => `unknown environment variable ${name} is ignored (docs/configuration.md lists the JARVIS_* variables)`);
}

function readYaml(path: string, readFile: (path: string) => string): Result<Record<string, unknown>, ConfigIssue> {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return err({ key: path, expected: `cannot read the config file (${code}); expected a readable YAML file` });
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const syntax = document.errors[0];
  if (syntax) {
    const position = syntax.linePos?.[0];
    const where = position ? `line ${position.line}, column ${position.col}` : 'unknown position';
    return err({ key: path, expected: `YAML syntax error at ${where}: ${syntax.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}` });
  }
  const raw: unknown = document.toJS();
  if (raw === null || raw === undefined) return ok({});
  if (typeof raw !== 'object' || Array.isArray(raw))
    return err({ key: '(root)', value: raw, expected: 'expected a mapping of sections (pve:, topology:, server:, ...)' });
  return ok(raw as Record<string, unknown>);
}

function resolveFile(file: ConfigFile, cwd: string): Omit<JarvisConfig, 'source' | 'topology' | 'secrets' | 'notifyEnv'> {
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  const dataDir = absolute(file.paths.dataDir);
  return {
    pve: file.pve,
    server: file.server,
    paths: { dataDir, auditDb: file.paths.auditDb ? absolute(file.paths.auditDb) : join(dataDir, 'audit', 'audit.db') },
    poll: { intervalMs: file.poll.intervalMs, staleAfterMs: file.poll.staleAfterMs ?? 3 * file.poll.intervalMs, storageThreshold: file.poll.storageThreshold },
    timeouts: file.timeouts,
    ssh: {
      user: file.ssh.user,
      port: file.ssh.port,
      keyFile: file.ssh.keyFile ? absolute(file.ssh.keyFile) : undefined,
      knownHostsFile: absolute(file.ssh.knownHostsFile ?? join(dataDir, 'ssh', 'known_hosts')),
    },
    docker: file.docker,
    llm: file.llm,
    ui: file.ui,
    simulator: file.simulator,
    monitor: file.monitor,
    approvals: { twoPersonRule: file.safety.twoPersonRule },
    chat: file.chat,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Loads the configuration once at start-up: file (`--config FILE` or JARVIS_CONFIG; none = all
 * defaults, i.e. the seed topology on the embedded simulator), then JARVIS_* env, then CLI flags;
 * validates everything with zod plus cross-field checks; resolves paths and secrets; freezes.
 * Reads only — never creates a directory or file. Every problem is a CONFIG_INVALID error whose
 * `details.issues` name the dotted key, the value and what is expected.
 */
export function loadConfig(input: LoadConfigInput = {}): Result<LoadedConfig, JarvisError> {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const readFile = input.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const parsed = parseConfigFlags(input.argv ?? [], SECTIONS);
  const fileFlag = parsed.flags.get('--config') ?? (env['JARVIS_CONFIG'] || undefined);
  const file = fileFlag !== undefined ? resolve(cwd, fileFlag) : undefined;
  if (parsed.issues.length > 0) return err(configError(parsed.issues, file));

  let raw: Record<string, unknown> = {};
  if (file !== undefined) {
    const read = readYaml(file, readFile);
    if (!read.ok) return err(configError([read.error], file));
    raw = read.value;
  }
  const secretIssues = findSecretKeys(raw);
  if (secretIssues.length > 0) return err(configError(secretIssues, file));

  const overrideIssues = applyOverrides(raw, SECTIONS, env, parsed.flags);
  if (overrideIssues.length > 0) return err(configError(overrideIssues, file));

  const result = configFileSchema.safeParse(raw, { reportInput: true });
  if (!result.success)
    return err(
      configError(
        toConfigIssues(result.error.issues, (path) => knownKeysAt(configFileSchema, path)),
        file,
      ),
    );

  const topology = toTopology(result.data);
  const topologyIssues = checkTopology(result.data, topology);
  if (topologyIssues.length > 0) return err(configError(topologyIssues, file));

  const { secrets, issues: secretEnvIssues } = resolveSecrets({ env, readFile });
  if (secretEnvIssues.length > 0) return err(configError(secretEnvIssues, file));
  const pve = result.data.pve;
  if (pve.url !== undefined && pve.auth === 'token' && secrets.pveTokenSecret === undefined) {
    return err(
      configError(
        [
          {
            key: 'JARVIS_PVE_TOKEN_SECRET',
            expected: 'required when pve.url is set with token auth: set JARVIS_PVE_TOKEN_SECRET or JARVIS_PVE_TOKEN_SECRET_FILE',
          },
        ],
        file,
      ),
    );
  }
  if (pve.url !== undefined && pve.auth === 'ticket' && secrets.pvePassword === undefined) {
    return err(
      configError([{ key: 'JARVIS_PVE_PASSWORD', expected: 'required when pve.auth is "ticket": set JARVIS_PVE_PASSWORD or JARVIS_PVE_PASSWORD_FILE' }], file),
    );
  }
  const notifyEnv = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('JARVIS_NOTIFY_')));
  const config: JarvisConfig = { source: { file }, ...resolveFile(result.data, cwd), topology, secrets, notifyEnv };
  const warnings = unknownVariables(env);
  if (pve.url !== undefined && config.poll.intervalMs < 10_000) {
    warnings.push(`poll.intervalMs ${config.poll.intervalMs} polls a real cluster faster than PVE refreshes its status (every 10 s): it only adds load`);
  }
  return ok({ config: deepFreeze(config), rest: parsed.rest, warnings });
}
