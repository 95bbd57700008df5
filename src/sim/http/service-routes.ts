/**
 * Node services: list, state, start/stop/restart/reload (a `srv*` task).
 * @see reference pve-api.md §5.15
 */
import { serviceAction } from '../world/actions.ts';
import type { ServiceState } from '../world/types.ts';
import { fail, ok, paramError } from './reply.ts';
import type { Route } from './router.ts';

const sysModify = (params: Readonly<Record<string, string>>) => ({ path: `/nodes/${params.node}`, privilege: 'Sys.Modify' });

function serviceEntry(service: ServiceState): Record<string, unknown> {
  return {
    service: service.unit,
    name: service.unit,
    desc: service.description,
    state: service.subState,
    'active-state': service.activeState,
    'unit-state': service.unitState,
  };
}

export const serviceRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/nodes/{node}/services',
    proxied: true,
    handler: ({ node }) => ok(node.services.filter((service) => service.pve).map(serviceEntry)),
  },
  {
    method: 'GET',
    pattern: '/nodes/{node}/services/{service}/state',
    proxied: true,
    handler: ({ node, params }) => {
      const service = node.services.find((entry) => entry.pve && entry.unit === params.service);
      return service ? ok(serviceEntry(service)) : paramError({ service: `value '${params.service}' does not have a value in the enumeration` });
    },
  },
  ...(['start', 'stop', 'restart', 'reload'] as const).map((action): Route => ({
    method: 'POST',
    pattern: `/nodes/{node}/services/{service}/${action}`,
    proxied: true,
    permission: sysModify,
    handler: ({ world, node, params, identity }) => {
      const result = serviceAction(world, node, params.service ?? '', action, identity.full);
      return result.ok ? ok(result.upid) : fail(result.status, result.message, result.errors);
    },
  })),
];
