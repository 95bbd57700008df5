import type { FastifyInstance } from 'fastify';
import { jarvisError } from '../../../core/errors.ts';
import { GuestDetailParamsSchema, type GuestDetailDto } from '../../../protocol/index.ts';
import { sendError } from '../http-errors.ts';
import type { HttpServerDeps } from '../http-deps.ts';
import { parseInput } from '../parse-input.ts';

/**
 * Read routes (viewer and up) the dashboard calls on demand, never on a poll:
 * - GET /api/guests/:vmid/detail: snapshots and notes of a guest that is in the live snapshot
 *   (allowlist: an unknown vmid never reaches PVE), two PVE calls (config + snapshot list);
 * - GET /api/backups: the backup catalog (vzdump archives on backup storages, slow cadence).
 * Notes and snapshot texts are passed through verbatim as data; the dashboard renders them as text.
 */
export function guestDetailRoutes(deps: HttpServerDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/api/guests/:vmid/detail', async (request, reply) => {
      const input = parseInput(GuestDetailParamsSchema, request.params);
      if (!input.ok) return sendError(reply, input.error);
      const { vmid } = input.value;
      const guest = deps.state.current().snapshot?.guests.find((entry) => entry.vmid === vmid);
      if (!guest) return sendError(reply, jarvisError('NOT_FOUND', `no guest ${vmid} in the cluster`));
      if (!deps.guestDetail) return sendError(reply, jarvisError('NOT_FOUND', 'guest details are not available on this server'));
      const [config, snapshots] = await Promise.all([
        deps.guestDetail.guestConfig(guest.node, guest.type, vmid),
        deps.guestDetail.guestSnapshots(guest.node, guest.type, vmid),
      ]);
      if (!config.ok) return sendError(reply, config.error);
      if (!snapshots.ok) return sendError(reply, snapshots.error);
      const notes = config.value['description'];
      const body: GuestDetailDto = {
        vmid,
        node: guest.node,
        type: guest.type,
        ...(typeof notes === 'string' && notes !== '' ? { notes } : {}),
        snapshots: snapshots.value.map((entry) => ({
          name: entry.name,
          description: entry.description,
          current: entry.current,
          ...(entry.snaptime !== undefined ? { takenAt: entry.snaptime * 1000 } : {}),
          ...(entry.parent !== undefined ? { parent: entry.parent } : {}),
          ...(entry.vmstate !== undefined ? { vmstate: entry.vmstate } : {}),
        })),
        readAt: deps.clock.now(),
      };
      return body;
    });

    app.get('/api/backups', async (_request, reply) => {
      if (!deps.backups) return sendError(reply, jarvisError('NOT_FOUND', 'the backup catalog is not available on this server'));
      return deps.backups.get();
    });
  };
}
