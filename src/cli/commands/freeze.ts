/**
 * `jarvis freeze [--reason TEXT] [--by NAME]`: the emergency stop. Persists the switch in the state
 * DB (the running server reads it at every decision, so it applies at once) after writing an audit
 * row; every act is denied until `jarvis unfreeze`, reads keep working. Exit 0 on success.
 */
import { setFreezeFromCli } from './unfreeze.ts';

export async function run(args: string[]): Promise<number> {
  return setFreezeFromCli('freeze', true, args);
}
