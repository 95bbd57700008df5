import type { SimHostView } from '../host-view.ts';
import { pveshCommands } from './commands/pvesh.ts';
import { remediationCommands } from './commands/remediation.ts';
import { systemdCommands } from './commands/systemd.ts';
import { systemInfoCommands } from './commands/system-info.ts';
import { parseShellWords } from './parse-shell-words.ts';
import type { SimCommand, SimCommandResult, SimShellHooks } from './sim-command.ts';
import { matchPattern, stderr } from './sim-command.ts';

/** Every argv shape the simulated nodes answer: exactly the diagnostic command catalogue. */
export const SIM_COMMANDS: readonly SimCommand[] = [...systemInfoCommands, ...systemdCommands, ...pveshCommands, ...remediationCommands];

/**
 * Answers one SSH exec request on a simulated node. The command string is parsed back into argv
 * (never executed); argv outside the catalogue gets bash's "command not found" (exit 127), and
 * compound shell syntax gets a syntax error (exit 2).
 */
export async function answerCommand(view: SimHostView, node: string, command: string, hooks: SimShellHooks = {}): Promise<SimCommandResult> {
  const parsed = parseShellWords(command);
  if (!parsed.ok) return stderr(`bash: -c: line 1: syntax error: ${parsed.reason}\n`, 2);
  const argv = parsed.argv;
  if (argv.length === 0) return { stdout: '', stderr: '', exitCode: 0 };
  for (const candidate of SIM_COMMANDS) {
    const captures = matchPattern(argv, candidate.pattern);
    if (captures) return candidate.answer(view, node, captures, hooks);
  }
  return stderr(`bash: ${argv[0]}: command not found\n`, 127);
}
