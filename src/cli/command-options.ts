/**
 * The options of every `jarvis` command, in one table: `parseCommandArgs` parses with it (strict:
 * nothing else is accepted) and `jarvis <command> --help` lists it, so the help cannot drift from
 * what the parser takes. Config-aware commands (`config: true`) also take the config flags of the
 * config sections (`--config`, `--data-dir`, `--port`, ...), listed from the same section bindings.
 * This file has no imports, so `main.ts` can read it without loading any command.
 */

/** One option: as `node:util` `parseArgs` takes it, plus what `--help` says of it. */
export interface OptionDoc {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** Placeholder of the value in the help (`N`, `FILE`); string options only. */
  readonly value?: string;
  /** One line for `--help`. */
  readonly description: string;
}

/** What a command accepts: its own options, whether the config flags too, and how many positionals. */
export interface CommandArgs {
  readonly options: Readonly<Record<string, OptionDoc>>;
  readonly config?: boolean;
  readonly positionals?: number;
}

const ms = (what: string): OptionDoc => ({ type: 'string', value: 'MS', description: what });
const admin = {
  reason: { type: 'string', value: 'TEXT', description: 'why, in the audit log' },
  by: { type: 'string', value: 'NAME', description: 'who, in the audit log (default: your OS user name)' },
  socket: { type: 'string', value: 'PATH', description: 'the admin socket (default: <dataDir>/admin.sock)' },
} as const satisfies Record<string, OptionDoc>;

/** Every command's arguments, by command name (the keys of `COMMANDS` in main.ts). */
export const COMMAND_ARGS = {
  start: { config: true, options: { json: { type: 'boolean', description: 'print one machine-readable JSON line instead of the banner' } } },
  sim: {
    options: {
      port: { type: 'string', value: 'N', description: 'PVE API port (default: a free one)' },
      'admin-port': { type: 'string', value: 'N', description: 'admin (fault-injection) API port (default: a free one)' },
      seed: { type: 'string', value: 'S', description: 'random seed of the simulated cluster (default 1)' },
      nodes: { type: 'string', value: 'N', description: 'nodes, 1..64 (default 4)' },
      guests: { type: 'string', value: 'M', description: 'guests, 0..10000 (default 20)' },
      scenario: { type: 'string', value: 'NAME', description: 'a named scenario (docs/simulator.md)' },
      fault: {
        type: 'string',
        value: 'JSON',
        multiple: true,
        description: 'a fault object applied at start, e.g. \'{"kind":"hang","path":"/version"}\' (repeatable)',
      },
      'auth-delay-ms': ms('delay of each ticket login'),
      'task-ms': ms('how long a simulated task runs'),
      'stale-ms': ms('age after which node data goes stale'),
      'metrics-ms': ms('period of the simulated metrics (0 = frozen)'),
      'no-llm': { type: 'boolean', description: 'no simulated models (llama-server and Claude fakes)' },
      'llm-slots': { type: 'string', value: 'N', description: "simulated llama-server's parallel slots (at least 1)" },
      'llm-ctx': { type: 'string', value: 'N', description: "simulated llama-server's context size in tokens (at least 256)" },
      'llm-kv-unified': { type: 'boolean', description: 'simulated llama-server shares one KV cache across slots' },
    },
  },
  doctor: { config: true, options: { json: { type: 'boolean', description: 'print one JSON document instead of the lines' } } },
  plan: {
    config: true,
    options: {
      snapshot: { type: 'string', value: 'FILE', description: 'decide against this snapshot file instead of the live cluster' },
      schema: { type: 'boolean', description: 'print the action JSON schema' },
      lists: { type: 'boolean', description: 'print what each never-act / protected list blocks, one JSON line per list' },
    },
  },
  audit: {
    config: true,
    positionals: 1,
    options: {
      db: { type: 'string', value: 'PATH', description: 'the audit database (default: paths.auditDb)' },
      n: { type: 'string', short: 'n', value: 'N', description: 'tail: how many records (default 20)' },
    },
  },
  freeze: { config: true, options: admin },
  unfreeze: { config: true, options: admin },
  approve: {
    config: true,
    positionals: 1,
    options: {
      as: { type: 'string', value: 'NAME', description: 'who approves, in the audit log (default: your OS user name)' },
      reject: { type: 'boolean', description: 'reject the ticket instead' },
      reason: admin.reason,
      socket: admin.socket,
    },
  },
  mcp: {
    options: {
      url: { type: 'string', value: 'URL', description: 'the running server (default JARVIS_URL, else http://127.0.0.1:8080)' },
      token: { type: 'string', value: 'TOKEN', description: 'API token (default JARVIS_TOKEN / JARVIS_TOKEN_FILE)' },
      tools: { type: 'string', value: 'read|act|all', description: 'which tools to expose (default all the token may use)' },
    },
  },
  token: {
    config: true,
    positionals: 2,
    options: {
      role: { type: 'string', value: 'viewer|operator|admin', description: 'create: the role of the token' },
      name: { type: 'string', value: 'N', description: 'create: a name to recognise it by' },
    },
  },
  notify: { config: true, positionals: 2, options: {} },
  user: { config: true, positionals: 2, options: { role: { type: 'string', value: 'viewer|operator|admin', description: 'add: the role of the user' } } },
} as const satisfies Record<string, CommandArgs>;

export type CommandName = keyof typeof COMMAND_ARGS;
