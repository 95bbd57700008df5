/**
 * McpServer factory: registers the given tool definitions (app/tools, the single source of truth)
 * with the official SDK. Every call goes through runTool, so a tool that throws, hangs or gets
 * bad data yields a structured error result (`isError: true`) and the server keeps answering.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AnyToolDefinition, ToolResult } from '../tools/define-tool.ts';
import { FRAME_NOTICE } from '../../core/llm/frame.ts';
import { modelText } from '../tools/model-facing.ts';
import { runTool } from '../tools/run-tool.ts';
import type { ToolContext } from '../tools/tool-context.ts';

export interface McpServerOptions {
  readonly tools: readonly AnyToolDefinition[];
  readonly context: ToolContext;
  readonly name?: string;
  readonly version?: string;
}

/** Server instructions sent at initialize: how to read tool results. */
export const MCP_INSTRUCTIONS = `Jarvis operates a Proxmox VE cluster. ${FRAME_NOTICE} Act tools may answer needs-confirmation with a ticket: a human approves it in the Jarvis dashboard or with \`jarvis approve ID\`; do not retry a denied action.`;

/** Maps a ToolResult to MCP's CallToolResult (text for the model + structuredContent). */
export function toCallToolResult(result: ToolResult, at: number): CallToolResult {
  if (result.ok) return { content: [{ type: 'text', text: modelText(result, at) }], structuredContent: { ...result.data } };
  return { content: [{ type: 'text', text: modelText(result, at) }], structuredContent: { ...result.error }, isError: true };
}

/** A new McpServer exposing `tools` bound to `context` (one per request in stateless HTTP). */
export function createMcpServer(options: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: options.name ?? 'jarvis', version: options.version ?? '0.1.0' },
    { instructions: MCP_INSTRUCTIONS, capabilities: { tools: {} } },
  );
  for (const tool of options.tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: { title: tool.title, ...tool.annotations } },
      async (args: unknown, extra: { signal: AbortSignal }) =>
        toCallToolResult(await runTool(tool, args, options.context, extra.signal), options.context.clock.now()),
    );
  }
  // tools/call goes straight to runTool with the RAW arguments, so bad or unknown arguments get the
  // same structured INVALID_INPUT ({error, tool, recoverable, code, hint}) as every other failure,
  // instead of the SDK's plain-text validation error (the SDK keeps serving tools/list).
  const byName = new Map(options.tools.map((tool) => [tool.name, tool]));
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) return { content: [{ type: 'text', text: `MCP error -32602: Tool ${request.params.name.slice(0, 64)} not found` }], isError: true };
    return toCallToolResult(await runTool(tool, request.params.arguments ?? {}, options.context, extra.signal), options.context.clock.now());
  });
  return server;
}
