/**
 * The tool registry: every tool, listed by hand (one source of truth for MCP, the chat agent, the
 * monitor and the token report), and the per-request subsets.
 */
import type { AnyToolDefinition } from './define-tool.ts';
import { checkClusterHealth } from './check-cluster-health.ts';
import { checkService } from './check-service.ts';
import { executeRemediation } from './execute-remediation.ts';
import { getResourceUsage } from './get-resource-usage.ts';
import { manageDocker } from './manage-docker.ts';
import { manageVm } from './manage-vm.ts';
import { runDiagnostic } from './run-diagnostic.ts';
import { searchLogs } from './search-logs.ts';

/** All tools, read tools first (a stable order keeps prompt caches warm). */
export const ALL_TOOLS: readonly AnyToolDefinition[] = [
  checkClusterHealth,
  getResourceUsage,
  searchLogs,
  checkService,
  runDiagnostic,
  manageVm,
  manageDocker,
  executeRemediation,
];

export type ToolSubset = 'read' | 'act' | 'all';

/**
 * The tools for one request: `read` = the read-only tools (status questions, viewers);
 * `act` = only the act tools (added on top of `read` when a request asks to change something);
 * `all` = every tool.
 */
export function toolsFor(subset: ToolSubset): readonly AnyToolDefinition[] {
  if (subset === 'all') return ALL_TOOLS;
  return ALL_TOOLS.filter((tool) => tool.category === subset);
}

export function findTool(name: string): AnyToolDefinition | undefined {
  return ALL_TOOLS.find((tool) => tool.name === name);
}

const names = new Set<string>();
for (const tool of ALL_TOOLS) {
  if (names.has(tool.name)) throw new Error(`duplicate tool name ${tool.name}`);
  names.add(tool.name);
}

export { runTool } from './run-tool.ts';
export type { AnyToolDefinition, ToolDefinition, ToolResult, ToolError, ToolCategory } from './define-tool.ts';
export type { ToolContext, ToolExecutor, ToolTimeouts } from './tool-context.ts';
export { DEFAULT_TOOL_TIMEOUTS } from './tool-context.ts';
