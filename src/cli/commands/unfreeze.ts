/**
 * `jarvis unfreeze [--reason TEXT] [--by NAME]`: lifts the emergency stop of the RUNNING server
 * (audited), through its admin socket and the dashboard's own route, so an open dashboard learns
 * of it at once. Refuses (exit 1) when no server runs.
 */
import { adminClient, localAdminName } from '../compose/admin-client.ts';
import { loadCommandConfig, parseCommandArgs } from '../compose/command-args.ts';
import { adminSocketPath } from '../compose/jarvis-parts.ts';

/**
 * Shared by freeze and unfreeze: POST /api/freeze on the running server as the local admin. The
 * server's freeze switch writes the audit row first (the switch does not move if it cannot) and
 * publishes `freeze.changed`.
 */
export async function setFreezeFromCli(command: 'freeze' | 'unfreeze', frozen: boolean, args: string[]): Promise<number> {
  const parsed = parseCommandArgs(command, args);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  const loaded = loadCommandConfig(parsed.value);
  if (!loaded) return 2;
  const name = localAdminName(parsed.value.string('by'), '--by');
  if (!name.ok) {
    process.stderr.write(`jarvis ${command}: ${name.error}\n`);
    return 2;
  }
  const client = adminClient(parsed.value.string('socket') ?? adminSocketPath(loaded.config), name.value);
  const reason = parsed.value.string('reason');
  const answer = await client.call('POST', '/api/freeze', { frozen, ...(reason !== undefined ? { reason } : {}) });
  if (!answer.ok) {
    const { code, message, hint } = answer.error;
    process.stderr.write(`jarvis ${command}: ${code}: ${message}${hint ? `\n  fix: ${hint}` : ''}\n  the switch was not changed\n`);
    return 1;
  }
  process.stdout.write(
    frozen ? 'emergency stop ON: every act is denied until `jarvis unfreeze`; reads keep working\n' : 'emergency stop OFF: acts are decided normally again\n',
  );
  return 0;
}

export async function run(args: string[]): Promise<number> {
  return setFreezeFromCli('unfreeze', false, args);
}
