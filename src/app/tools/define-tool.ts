/**
 * The shape of one tool: the single source of truth that feeds MCP `registerTool`, the AI SDK tool
 * set and the token report. One file per tool under this folder; index.ts lists them by hand.
 */
import type { z } from 'zod';
import type { ErrorCode, JarvisError } from '../../core/errors.ts';
import { escapeFrameDelimiters } from '../../core/llm/frame.ts';
import { sanitizeName } from '../../core/llm/sanitize.ts';
import type { ToolRun } from './tool-context.ts';

export type ToolCategory = 'read' | 'act';

/** Outside systems a tool depends on. */
export type ToolDependency = 'pve' | 'ssh' | 'docker';

/** MCP tool annotations (hints to clients; they must tell the truth). */
export interface ToolAnnotations {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** The structured error every failing call returns (seed pitfall 12: `{error, tool, recoverable}`). */
export interface ToolError {
  readonly error: string;
  readonly tool: string;
  readonly recoverable: boolean;
  readonly code: ErrorCode;
  readonly hint?: string | undefined;
}

/** What a handler returns: a compact text for the model plus structured data, or a structured error. */
export type ToolResult =
  { readonly ok: true; readonly text: string; readonly data: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly error: ToolError };

export interface ToolDefinition<Schema extends z.ZodObject = z.ZodObject> {
  /** snake_case, stable: the model calls it by this name. */
  readonly name: string;
  readonly title: string;
  /** Written for a 7B model: when to use it, when not, what it returns. Short (token budget). */
  readonly description: string;
  readonly category: ToolCategory;
  readonly input: Schema;
  readonly annotations: ToolAnnotations;
  /** Which timeout of ToolTimeouts bounds the whole call. */
  readonly timeout: 'read' | 'act' | 'shell' | 'docker';
  /** Outside systems the tool cannot work without (GET /health marks it unavailable when one is down). */
  readonly needs: readonly ToolDependency[];
  /** May return a failing ToolResult; a throw is a bug (the wrapper turns it into INTERNAL). */
  handler(input: z.infer<Schema>, run: ToolRun): Promise<ToolResult>;
}

/** Identity helper that keeps the input type of `handler` tied to its schema. */
export function defineTool<Schema extends z.ZodObject>(definition: ToolDefinition<Schema>): ToolDefinition<Schema> {
  return definition;
}

/** Type-erased definition, as registries and transports hold them. */
export type AnyToolDefinition = ToolDefinition<z.ZodObject>;

export const READ_ANNOTATIONS: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** A successful result. */
export function success(text: string, data: Record<string, unknown>): ToolResult {
  return { ok: true, text, data };
}

/** A failing result built from a JarvisError. */
export function failure(tool: string, error: JarvisError): ToolResult {
  // Messages can quote the cluster (PVE's error text, a container name): one sanitised line, no frame look-alikes.
  const line = (text: string): string => escapeFrameDelimiters(sanitizeName(text, 400));
  return {
    ok: false,
    error: { error: line(error.message), tool, recoverable: error.retryable, code: error.code, ...(error.hint ? { hint: line(error.hint) } : {}) },
  };
}
