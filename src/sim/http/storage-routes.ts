/**
 * Storage endpoints of a node.
 * @see reference pve-api.md §5.14
 */
import { ok, paramError } from './reply.ts';
import type { Route } from './router.ts';
import { storageStatus } from './views.ts';

export const storageRoutes: readonly Route[] = [
  {
    method: 'GET', pattern: '/nodes/{node}/storage', proxied: true,
    handler: ({ world, node, args }) => {
      let list = world.storagesOf(node.name);
      if (args.storage !== undefined) list = list.filter((entry) => entry.storage === args.storage);
      if (args.content !== undefined) list = list.filter((entry) => entry.content.split(',').includes(args.content!));
      return ok(list.map((entry) => storageStatus(entry, true)));
    },
  },
  {
    method: 'GET', pattern: '/nodes/{node}/storage/{storage}/status', proxied: true,
    handler: ({ world, node, params }) => {
      const storage = world.storagesOf(node.name).find((entry) => entry.storage === params.storage);
      return storage ? ok(storageStatus(storage, false)) : paramError({ storage: 'No such storage.' });
    },
  },
];
