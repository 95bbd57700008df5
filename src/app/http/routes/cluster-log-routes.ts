import type { FastifyInstance } from 'fastify';
import { jarvisError } from '../../../core/errors.ts';
import { TaskLogTailQuerySchema } from '../../../protocol/index.ts';
import { sendError } from '../http-errors.ts';
import type { HttpServerDeps } from '../http-deps.ts';
import { parseInput } from '../parse-input.ts';

/**
 * Read routes (viewer and up) for the dashboard's tasks and log page, read from PVE on demand with
 * a short cache (src/app/events/cluster-log-reader.ts), never on a poll:
 * - GET /api/cluster-log: PVE's cluster log, newest first;
 * - GET /api/tasks/log-tail?upid=: the last lines of a task the server lists as running
 *   (allowlist: any other upid never reaches PVE).
 */
export function clusterLogRoutes(deps: HttpServerDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/api/cluster-log', async (_request, reply) => {
      if (!deps.clusterLog) return sendError(reply, jarvisError('NOT_FOUND', 'the cluster log is not available on this server'));
      const result = await deps.clusterLog.read();
      return result.ok ? result.value : sendError(reply, result.error);
    });

    app.get('/api/tasks/log-tail', async (request, reply) => {
      const input = parseInput(TaskLogTailQuerySchema, request.query);
      if (!input.ok) return sendError(reply, input.error);
      if (!deps.clusterLog) return sendError(reply, jarvisError('NOT_FOUND', 'task logs are not available on this server'));
      const task = deps.tasks?.().find((entry) => entry.upid === input.value.upid && entry.status === 'running');
      if (!task) return sendError(reply, jarvisError('NOT_FOUND', 'no running task with that upid'));
      const result = await deps.clusterLog.taskTail({ upid: task.upid, node: task.node });
      return result.ok ? result.value : sendError(reply, result.error);
    });
  };
}
