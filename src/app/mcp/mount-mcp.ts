/**
 * Mounts MCP (Streamable HTTP at /mcp) on the Jarvis HTTP server: the one call the composition
 * root makes. Tool calls run with the caller (an API token) as the actor, through the guarded
 * executor; viewers get the read tools only.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import type { Topology } from '../../core/domain/topology.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import type { ShellRunner } from '../../core/ports/shell.ts';
import { DEFAULT_TOOL_TIMEOUTS, type ToolContext, type ToolExecutor, type ToolTimeouts } from '../tools/tool-context.ts';
import { mcpHttpPlugin } from './mcp-http-plugin.ts';

export interface McpMountDeps {
  readonly cluster: ClusterApi;
  readonly shell?: ShellRunner | undefined;
  readonly docker?: DockerApi | undefined;
  /** The guarded executor (app/actions createGuardedExecutor satisfies this). */
  readonly executor: ToolExecutor;
  /** The poller's latest snapshot, when there is one. */
  readonly snapshot?: (() => ClusterSnapshot | undefined) | undefined;
  readonly clock: Clock;
  readonly topology: Topology;
  readonly timeouts?: Partial<ToolTimeouts> | undefined;
  /** Observer of every finished call (e.g. a `jarvis_tool_calls_total{tool,outcome}` counter). */
  readonly onToolCall?: ToolContext['onToolCall'];
}

/** Builds the per-caller ToolContext (exported for the chat agent and tests). */
export function toolContextFactory(deps: McpMountDeps): (actor: ToolContext['actor']) => ToolContext {
  const timeouts = { ...DEFAULT_TOOL_TIMEOUTS, ...deps.timeouts };
  return (actor) => ({
    cluster: deps.cluster,
    shell: deps.shell,
    docker: deps.docker,
    executor: deps.executor,
    snapshot: deps.snapshot ?? (() => undefined),
    clock: deps.clock,
    timeouts,
    actor,
    defaultDockerHost: deps.topology.self.dockerHost,
    ...(deps.onToolCall ? { onToolCall: deps.onToolCall } : {}),
  });
}

/**
 * Registers /mcp on `scope`: the HTTP layer's authenticated scope (HttpServerOptions.protectedPlugins),
 * so /mcp shares the Host/Origin policy and the bearer check of /api, /ws and /metrics.
 */
export async function mountMcp(scope: FastifyInstance, deps: McpMountDeps): Promise<void> {
  const contextFor = toolContextFactory(deps);
  await scope.register(mcpHttpPlugin, { scoped: true, contextFor: (_principal, actor) => contextFor(actor) });
}
