/**
 * `jarvis <command>`: the composition root's front door. Each command lives in its own module
 * under ./commands and exports `run(args): Promise<number>` (the process exit code).
 * Commands are loaded lazily so that `jarvis sim` never loads the dashboard, and so on.
 */
import type { CommandName } from './command-options.ts';
import { optionsHelp } from './compose/command-args.ts';

export interface CommandModule {
  run(args: string[]): Promise<number>;
}

const ADMIN_NOTE = `These commands talk to the running server (start it with \`jarvis start\`) through its admin socket,\n<dataDir>/admin.sock (mode 0600: only the OS user running Jarvis can use it); with no server they\nrefuse (exit 1) and change nothing.`;

/**
 * Every command: one summary line (the command list) and the prose of its `--help`; the options
 * part of the help is generated from `COMMAND_ARGS`, the table the command parses with.
 */
export const COMMANDS: Record<CommandName, { summary: string; help: string; load: () => Promise<CommandModule> }> = {
  start: {
    summary: 'run the Jarvis server (embedded simulator unless a cluster is configured)',
    help: 'usage: jarvis start [options]\n\nRuns the server: dashboard, API, WebSocket, /mcp, the poller. Without pve.url it runs on the embedded\nsimulated cluster and prints the first-start admin password once. Secrets only through JARVIS_*\nenvironment variables or *_FILE.',
    load: () => import('./commands/start.ts'),
  },
  sim: {
    summary: 'run the simulated Proxmox cluster alone and print its connection JSON',
    help: 'usage: jarvis sim [options]\n\nRuns the embedded PVE simulator (REST, SSH, Docker Engine API) alone and prints one JSON line with\nits URL, API token, certificate fingerprint and admin (fault-injection) URL. Details: docs/simulator.md.',
    load: () => import('./commands/sim.ts'),
  },
  doctor: {
    summary: 'check config and connectivity, one verdict per check',
    help: `usage: jarvis doctor [--config FILE] [--json]\n\nValidates the config, then checks PVE (reachable, TLS fingerprint, credential, privileges, dangerous\nprivileges, no power over Jarvis's own VM and node, quorum, the management VM and its protection\nflag), SSH and Docker: one OK/WARN/FAIL line per check. --json prints one JSON document instead.\nExit 0 when nothing FAILs, 1 on a FAIL, 2 on a bad config.`,
    load: () => import('./commands/doctor.ts'),
  },
  plan: {
    summary: 'decide actions read as JSON lines on stdin, executing nothing',
    help: 'usage: jarvis plan [--snapshot FILE] [--config FILE]\n       jarvis plan --schema\n       jarvis plan --lists\n\nReads actions as JSON lines on stdin and prints one kernel decision per line (verdict, tier, reasons,\nblast radius, preview). Nothing runs. --schema prints the action JSON schema.',
    load: () => import('./commands/plan.ts'),
  },
  audit: {
    summary: 'audit log tools: `jarvis audit verify`',
    help: 'usage: jarvis audit verify [--db PATH]\n       jarvis audit tail [-n N] [--db PATH]\n\nverify re-checks the hash chain and its head (exit 0 intact, 1 tampered or unreadable); tail prints\nthe last N records as JSON lines. Without --db: paths.auditDb from the config.',
    load: () => import('./commands/audit.ts'),
  },
  freeze: {
    summary: 'emergency stop: deny every act until unfreeze',
    help: `usage: jarvis freeze [--reason TEXT] [--by NAME] [--socket PATH]\n\nThe emergency stop of the RUNNING server: every act is denied (reads keep working) until\n\`jarvis unfreeze\`. Audited; an open dashboard shows it at once.\n\n${ADMIN_NOTE}`,
    load: () => import('./commands/freeze.ts'),
  },
  unfreeze: {
    summary: 'lift the emergency stop',
    help: `usage: jarvis unfreeze [--reason TEXT] [--by NAME] [--socket PATH]\n\nLifts the emergency stop of the RUNNING server. Audited; an open dashboard shows it at once.\n\n${ADMIN_NOTE}`,
    load: () => import('./commands/unfreeze.ts'),
  },
  approve: {
    summary: 'list pending confirmation tickets, or approve/reject one: `jarvis approve [ID]`',
    help: `usage: jarvis approve [--socket PATH]\n       jarvis approve ID [--as NAME]\n       jarvis approve ID --reject [--reason TEXT]\n\nWithout ID: lists the pending confirmation tickets of the RUNNING server. With ID: a local admin\napproves (or rejects) it. The server re-decides the stored action against its live cluster before\nanything runs; the ticket is single use; an open dashboard updates live.\n\n${ADMIN_NOTE}`,
    load: () => import('./commands/approve.ts'),
  },
  mcp: {
    summary: 'MCP over stdio, forwarding to the running Jarvis server',
    help: "usage: jarvis mcp [--url URL] [--token TOKEN] [--tools read|act|all]\n\nMCP over stdio for desktop clients, forwarding to the running server's /mcp (one kernel, one audit\nlog). Flags win over JARVIS_URL / JARVIS_TOKEN (JARVIS_TOKEN_FILE). Details: docs/mcp.md.",
    load: () => import('./commands/mcp.ts'),
  },
  token: {
    summary: 'API tokens: `jarvis token create --role R [--name N]`, `jarvis token revoke ID`',
    help: 'usage: jarvis token create --role viewer|operator|admin [--name N]\n       jarvis token list\n       jarvis token revoke ID\n\nBearer tokens for MCP and CLI clients; shown once at creation, only their SHA-256 is stored.',
    load: () => import('./commands/token.ts'),
  },
  notify: {
    summary: 'notifications: `jarvis notify test CHANNEL` sends a test message',
    help: 'usage: jarvis notify test CHANNEL [--config FILE]\n\nSends a test message through one configured notification channel (monitor.notify.channels).\nSecrets come from JARVIS_NOTIFY_<CHANNEL>_TOKEN / _SECRET / _USER / _PASSWORD (or _FILE).',
    load: () => import('./commands/notify.ts'),
  },
  user: {
    summary: 'users: `jarvis user add NAME --role R`, `passwd NAME`, `remove NAME`, `list` (password on stdin)',
    help: "usage: jarvis user add NAME --role viewer|operator|admin\n       jarvis user passwd NAME\n       jarvis user remove NAME\n       jarvis user list\n\nDashboard users in <dataDir>/auth.db (shared with the running server). Passwords are read from stdin,\nnever from the command line; a password change ends the user's other sessions.",
    load: () => import('./commands/user.ts'),
  },
};

/** `--help`/`-h` anywhere in a command's arguments (subcommands included) answers with its help. */
const wantsHelp = (args: readonly string[]): boolean => args.some((arg) => arg === '--help' || arg === '-h');

/** The package version, read from package.json beside src/. */
async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return `usage: jarvis <command> [options]\n       jarvis <command> --help\n       jarvis --version\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`jarvis ${await version()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as CommandName] : undefined;
  if (!command) {
    process.stderr.write(`jarvis: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    const options = optionsHelp(name as CommandName);
    process.stdout.write(`${command.help}\n${options ? `\n${options}\n` : ''}`);
    return 0;
  }
  let module: CommandModule;
  try {
    module = await command.load();
  } catch (error) {
    process.stderr.write(`jarvis: command '${name}' is not available in this build (${(error as Error).message.split('\n')[0]})\n`);
    return 2;
  }
  return module.run(rest);
}
