/**
 * /access endpoints beyond the ticket (which pve-server.ts answers before authentication):
 * GET /access/permissions — the caller's effective privileges as path -> privilege -> 1.
 * @see reference pve-api.md §3
 */
import { ok } from './reply.ts';
import type { Route } from './router.ts';

/** Every privilege a full-access identity holds in the simulator. */
export const ALL_PRIVILEGES = [
  'Sys.Audit',
  'Sys.Modify',
  'Sys.Syslog',
  'Sys.PowerMgmt',
  'Sys.Console',
  'VM.Audit',
  'VM.PowerMgmt',
  'VM.Migrate',
  'VM.Config.Options',
  'VM.Console',
  'VM.Allocate',
  'VM.Backup',
  'VM.Snapshot',
  'Datastore.Audit',
  'Datastore.AllocateSpace',
  'Datastore.Allocate',
  'User.Modify',
  'Permissions.Modify',
  'Pool.Audit',
  'SDN.Audit',
] as const;

export const accessRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/access/permissions',
    handler: ({ identity, args }) => {
      const mapOf = (privileges: ReadonlySet<string> | 'all') => {
        const held = privileges === 'all' ? [...ALL_PRIVILEGES] : ALL_PRIVILEGES.filter((p) => privileges.has(p));
        return Object.fromEntries(held.map((privilege) => [privilege, 1]));
      };
      const paths = args.path !== undefined ? [args.path] : ['/', '/nodes', '/vms', '/storage'];
      return ok(Object.fromEntries(paths.map((path) => [path, mapOf(identity.pathPrivileges?.[path] ?? identity.privileges)])));
    },
  },
];
