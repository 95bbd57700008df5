/**
 * The same tool definitions as a Vercel AI SDK tool set, for the chat agent (one source of truth
 * with MCP). Each tool's `execute` goes through runTool (validation, deadline, crash-proofing)
 * and returns the compact text a small model reads: the framed summary, or the structured error
 * as JSON. Act tools still go through the executor inside their handlers.
 */
import { tool, type ToolSet } from 'ai';
import type { AnyToolDefinition } from './define-tool.ts';
import { modelText } from './model-facing.ts';
import { runTool } from './run-tool.ts';
import type { ToolContext } from './tool-context.ts';

/** Builds `{ [name]: tool(...) }` for `generateText({ tools })`, bound to one caller's context. */
export function aiSdkTools(tools: readonly AnyToolDefinition[], context: ToolContext): ToolSet {
  return Object.fromEntries(
    tools.map((definition) => [
      definition.name,
      tool({
        title: definition.title,
        description: definition.description,
        inputSchema: definition.input,
        execute: async (input: unknown, options: { abortSignal?: AbortSignal | undefined }) => {
          const result = await runTool(definition, input, context, options.abortSignal);
          return modelText(result, context.clock.now());
        },
      }),
    ]),
  );
}
