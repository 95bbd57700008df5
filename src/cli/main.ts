/**
 * `jarvis <command>`: the composition root's front door. Each command lives in its own module
 * under ./commands and exports `run(args): Promise<number>` (the process exit code).
 * Commands are loaded lazily so that `jarvis sim` never loads the dashboard, and so on.
 */
export interface CommandModule {
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  start: { summary: 'run the Jarvis server (embedded simulator unless a cluster is configured)', load: () => import('./commands/start.ts') },
  sim: { summary: 'run the simulated Proxmox cluster alone and print its connection JSON', load: () => import('./commands/sim.ts') },
  doctor: { summary: 'check config and connectivity, one verdict per check', load: () => import('./commands/doctor.ts') },
  plan: { summary: 'decide actions read as JSON lines on stdin, executing nothing', load: () => import('./commands/plan.ts') },
  audit: { summary: 'audit log tools: `jarvis audit verify`', load: () => import('./commands/audit.ts') },
  freeze: { summary: 'emergency stop: deny every act until unfreeze', load: () => import('./commands/freeze.ts') },
  unfreeze: { summary: 'lift the emergency stop', load: () => import('./commands/unfreeze.ts') },
  approve: { summary: 'approve a pending confirmation ticket: `jarvis approve ID`', load: () => import('./commands/approve.ts') },
  mcp: { summary: 'MCP over stdio, forwarding to the running Jarvis server', load: () => import('./commands/mcp.ts') },
  token: { summary: 'API tokens: `jarvis token create --role R [--name N]`, `jarvis token revoke ID`', load: () => import('./commands/token.ts') },
  user: { summary: 'users: `jarvis user add NAME --role R`, `passwd NAME`, `remove NAME`, `list` (password on stdin)', load: () => import('./commands/user.ts') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return `usage: jarvis <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`jarvis: unknown command '${name}'\n\n${usage()}`);
    return 2;
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
