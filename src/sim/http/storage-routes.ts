/**
 * Storage endpoints of a node: list, status, and content (only vzdump archives are modelled:
 * `content=backup` or no filter lists them, any other content type lists nothing).
 * @see reference pve-api.md §5.14; PVE API viewer /nodes/{node}/storage/{storage}/content
 */
import { fail, ok, paramError } from './reply.ts';
import type { Route } from './router.ts';
import { backupContentEntry, storageStatus } from './views.ts';

export const storageRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/nodes/{node}/storage',
    proxied: true,
    handler: ({ world, node, args }) => {
      let list = world.storagesOf(node.name);
      if (args.storage !== undefined) list = list.filter((entry) => entry.storage === args.storage);
      if (args.content !== undefined) list = list.filter((entry) => entry.content.split(',').includes(args.content!));
      return ok(list.map((entry) => storageStatus(entry, true)));
    },
  },
  {
    method: 'GET',
    pattern: '/nodes/{node}/storage/{storage}/status',
    proxied: true,
    handler: ({ world, node, params }) => {
      const storage = world.storagesOf(node.name).find((entry) => entry.storage === params.storage);
      return storage ? ok(storageStatus(storage, false)) : paramError({ storage: 'No such storage.' });
    },
  },
  {
    method: 'GET',
    pattern: '/nodes/{node}/storage/{storage}/content',
    proxied: true,
    permission: (params) => ({ path: `/storage/${params.storage}`, privilege: 'Datastore.Audit' }),
    handler: ({ world, node, params, args }) => {
      const storage = world.storagesOf(node.name).find((entry) => entry.storage === params.storage);
      if (!storage) return fail(500, `storage '${params.storage}' does not exist`);
      if (storage.active === false) return fail(500, `storage '${params.storage}' is not online`);
      if (args.vmid !== undefined && !/^[1-9][0-9]{2,8}$/.test(args.vmid))
        return paramError({ vmid: 'invalid format - value does not look like a valid VM ID' });
      if (args.content !== undefined && args.content !== 'backup') return ok([]);
      if (!storage.content.split(',').includes('backup')) return ok([]);
      const list = world.backupsOn(node.name, storage.storage).filter((backup) => args.vmid === undefined || backup.vmid === Number(args.vmid));
      return ok(list.sort((a, b) => a.vmid - b.vmid || a.ctime - b.ctime).map(backupContentEntry));
    },
  },
];
