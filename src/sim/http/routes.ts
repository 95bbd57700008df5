/** Every PVE route the simulator serves, by endpoint group. */
import { accessRoutes } from './access-routes.ts';
import { clusterRoutes } from './cluster-routes.ts';
import { lxcRoutes, qemuRoutes } from './guest-routes.ts';
import { logRoutes } from './log-routes.ts';
import { nodeRoutes } from './node-routes.ts';
import type { Route } from './router.ts';
import { serviceRoutes } from './service-routes.ts';
import { storageRoutes } from './storage-routes.ts';
import { taskRoutes } from './task-routes.ts';

export const ALL_ROUTES: readonly Route[] = [
  ...accessRoutes,
  ...clusterRoutes,
  ...nodeRoutes,
  ...qemuRoutes,
  ...lxcRoutes,
  ...taskRoutes,
  ...storageRoutes,
  ...serviceRoutes,
  ...logRoutes,
];
