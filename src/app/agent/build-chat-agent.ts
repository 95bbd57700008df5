/**
 * Composition of the chat agent from the app's parts (called by createJarvis, step 8): the
 * gateway (or none: offline mode), the product's classifier, the tool registry with a per-caller
 * tool context (the same factory MCP uses: executor, audit observer), the live names for the
 * offline parser, approvals and the emergency stop for the human's own commands.
 */
import { classifyForWorld } from '../../core/agent/classify-for-world.ts';
import { offlineWorld } from '../../core/agent/offline/index.ts';
import { classifyRequest } from '../../core/llm/classify.ts';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import type { ModelGateway } from '../../core/llm/model-port.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { ConversationStore } from '../../core/ports/conversations.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import type { Principal } from '../auth/roles.ts';
import type { ApprovalsService, FreezeSwitch } from '../http/http-deps.ts';
import { ALL_TOOLS, type ToolContext } from '../tools/index.ts';
import type { AgentLimits, ContextProvider } from './agent-types.ts';
import { ChatAgent, type MemoryCommands } from './chat-agent.ts';
import { ReadAnswerPlans } from './read-answer-plans.ts';

export interface BuildChatAgentParts {
  readonly gateway?: ModelGateway | undefined;
  readonly conversations: ConversationStore;
  readonly toolContext: (actor: ToolContext['actor']) => ToolContext;
  readonly snapshot: () => ClusterSnapshot | undefined;
  readonly docker?: DockerApi | undefined;
  readonly dockerHost: string;
  readonly approvals: ApprovalsService;
  readonly freeze: FreezeSwitch;
  readonly aiEnabled: () => boolean;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly limits?: Partial<AgentLimits> | undefined;
  readonly fastPath?: boolean | undefined;
  readonly contextProviders?: readonly ContextProvider[] | undefined;
  /** Memory chat commands ("remember …" / "forget …"), consulted before anything else. */
  readonly memoryCommands?: MemoryCommands | undefined;
  /** How long the read calls behind a cached answer are remembered (ms; default 5 minutes, the answer cache's TTL). */
  readonly readPlanTtlMs?: number | undefined;
}

export function buildChatAgent(parts: BuildChatAgentParts): ChatAgent {
  return new ChatAgent({
    gateway: parts.gateway,
    classify: (text, world) => (world ? classifyForWorld(text, world) : classifyRequest(text)),
    tools: ALL_TOOLS,
    toolContext: parts.toolContext,
    clock: parts.clock,
    conversations: parts.conversations,
    newId: parts.newId,
    aiEnabled: parts.aiEnabled,
    limits: parts.limits,
    fastPath: parts.fastPath,
    contextProviders: parts.contextProviders,
    memoryCommands: parts.memoryCommands,
    readPlans: new ReadAnswerPlans({ ttlMs: parts.readPlanTtlMs ?? 300_000 }),
    world: async () => {
      const [containers, pending] = await Promise.all([
        parts.docker
          ? parts.docker
              .listContainers(parts.dockerHost, { all: true, timeoutMs: 2_000 })
              .then((r) => (r.ok ? r.value.map((c) => c.name) : undefined))
              .catch(() => undefined)
          : undefined,
        parts.approvals
          .list('pending')
          .then((r) => (r.ok ? r.value.map((ticket) => ({ id: ticket.id })) : undefined))
          .catch(() => undefined),
      ]);
      return offlineWorld(parts.snapshot(), { containers, pendingTickets: pending });
    },
    approve: (ticketId: string, by: Principal) => parts.approvals.approve(ticketId, by),
    reject: (ticketId, by, reason) => parts.approvals.reject(ticketId, by, reason),
    freeze: (by, reason) => parts.freeze.set(true, by, reason),
  });
}
