import { ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { ChatRequest, ChatResponse } from '../../protocol/index.ts';
import type { ChatService, HistoryReader } from './http-deps.ts';

/** Chat until the LLM issue lands: authenticated, and honest that no model answers. */
export class NoModelChat implements ChatService {
  async send(request: ChatRequest): Promise<Result<ChatResponse, JarvisError>> {
    return ok({
      conversationId: request.conversationId ?? 'local',
      reply: 'No model configured: chat is unavailable. The dashboard and tools keep working.',
      mode: 'offline',
    });
  }
}

/** History straight from the ClusterApi port (PVE rrddata). */
export function clusterHistory(cluster: Pick<ClusterApi, 'rrdData'>): HistoryReader {
  return { rrdData: (target, timeframe) => cluster.rrdData(target, timeframe) };
}
