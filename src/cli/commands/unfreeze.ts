/**
 * `jarvis unfreeze [--reason TEXT] [--by NAME]`: lifts the emergency stop (audited). The CLI acts
 * as a local admin: whoever can run it can already write the state DB.
 */
import { userInfo } from 'node:os';
import { setEmergencyStop } from '../../app/actions/emergency-stop.ts';
import { kernelPaths, loadCliConfig, openKernelStores, takeOption } from './kernel-context.ts';

/** Shared by freeze/unfreeze: audit row first (refuses when it cannot be written), then the switch. The CLI acts as admin. */
export async function setFreezeFromCli(command: 'freeze' | 'unfreeze', frozen: boolean, args: string[]): Promise<number> {
  const usage = `jarvis ${command} [--reason TEXT] [--by NAME] [--data-dir DIR]`;
  const reason = takeOption(args, '--reason');
  const by = takeOption(reason.rest, '--by');
  const loaded = loadCliConfig(command, by.rest, usage);
  if (!loaded) return 2;
  const stores = openKernelStores(kernelPaths(loaded.config));
  if (!stores.ok) {
    process.stderr.write(`jarvis ${command}: ${stores.error.message}\n`);
    return 1;
  }
  try {
    const actor = by.value ?? `cli:${safeUser()}`;
    const { audit, settings } = stores.value;
    const result = await setEmergencyStop({ audit, settings, clock: { now: () => Date.now() } }, { frozen, by: { id: actor, role: 'admin' }, reason: reason.value, tool: `jarvis ${command}` });
    if (!result.ok) {
      process.stderr.write(`jarvis ${command}: ${result.error.message}; the switch was not changed\n`);
      return 1;
    }
    process.stdout.write(frozen ? 'emergency stop ON: every act is denied until `jarvis unfreeze`; reads keep working\n' : 'emergency stop OFF: acts are decided normally again\n');
    return 0;
  } finally {
    stores.value.close();
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export async function run(args: string[]): Promise<number> {
  return setFreezeFromCli('unfreeze', false, args);
}
