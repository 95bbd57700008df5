/**
 * `jarvis freeze [--reason TEXT] [--by NAME]`: the emergency stop, set on the RUNNING server through
 * its admin socket (the server's freeze switch audits it and publishes `freeze.changed`, so an open
 * dashboard shows it at once). Every act is denied until `jarvis unfreeze`; reads keep working.
 * Exit 0 on success, 1 when refused or no server runs, 2 on usage errors.
 */
import { setFreezeFromCli } from './unfreeze.ts';

export async function run(args: string[]): Promise<number> {
  return setFreezeFromCli('freeze', true, args);
}
