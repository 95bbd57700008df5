import type { Identity } from '../http/auth.ts';
import { Router } from '../http/router.ts';
import { ALL_ROUTES } from '../http/routes.ts';
import type { SimWorld } from '../world/sim-world.ts';
import type { SimCommandResult, SimShellHooks } from './sim-command.ts';

const ROOT: Identity = { userid: 'root@pam', full: 'root@pam', privileges: 'all', viaTicket: false };

/**
 * A `pveshGet` hook answering from the simulator's own PVE routes, so `pvesh get` over SSH and the
 * REST API tell the same story. GET only; errors print the PVE message on stderr and exit 2, a
 * proxied call to an offline node fails as pvesh does (`Connection refused`).
 */
export function pveshFromRoutes(world: SimWorld, fingerprint = ''): NonNullable<SimShellHooks['pveshGet']> {
  const router = new Router(ALL_ROUTES);
  return async (localNode, path): Promise<SimCommandResult> => {
    const match = router.match('GET', path);
    if (!match) return { stdout: '', stderr: `No 'get' handler defined for '${path}'\n`, exitCode: 2 };
    const nodeName = match.params.node;
    const node = nodeName !== undefined ? world.node(nodeName) : world.node(localNode);
    if (!node)
      return {
        stdout: '',
        stderr: `hostname lookup '${nodeName}' failed - failed to get address info for: ${nodeName}: Name or service not known\n`,
        exitCode: 2,
      };
    if (match.route.proxied && !world.isNodeOnline(node.name)) return { stdout: '', stderr: 'Connection refused\n', exitCode: 2 };
    const reply = await match.route.handler({ world, method: 'GET', path, params: match.params, args: {}, identity: ROOT, node, fingerprint });
    if (reply.status !== 200) return { stdout: '', stderr: `${reply.message ?? `HTTP ${reply.status}`}\n`, exitCode: 2 };
    return { stdout: `${JSON.stringify(reply.data ?? null)}\n`, stderr: '', exitCode: 0 };
  };
}
