/**
 * Tool results in the two forms the chat needs: the model-facing text (only framed, sanitised
 * text: a tool's own summary is already framed by the tools layer; an error's text — which can
 * quote PVE, SSH or Docker — is framed here) and the human-facing card.
 */
import { frameClusterData } from '../../core/llm/frame.ts';
import { sanitizeName, sanitizeText } from '../../core/llm/sanitize.ts';
import type { ToolCard } from '../../protocol/chat.ts';
import type { ToolResult } from '../tools/index.ts';

/** What the model reads for one tool result. */
export function modelText(tool: string, result: ToolResult, at: number): string {
  if (result.ok) return result.text;
  const { error, code, recoverable, hint } = result.error;
  return `Tool ${tool} failed (${code}, ${recoverable ? 'may succeed later' : 'will not succeed as is'}):\n${frameClusterData(`${error}${hint ? `\nhint: ${hint}` : ''}`, { source: `tool:${tool}:error`, at }, 600)}`;
}

/** Strips frame tags for a human reader (the content is already sanitised). */
export function humanText(text: string, max = 600): string {
  return sanitizeText(text.replace(/<cluster_data[^>]*>\n?/g, '').replace(/\n?<\/cluster_data>/g, ''), { maxLength: max });
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').map((item) => sanitizeName(item, 300)) : undefined;
}

/** The card for one finished call. */
export function toolCard(id: string, tool: string, input: unknown, category: 'read' | 'act', result: ToolResult): ToolCard {
  const args = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const base = { id, tool, input: args };
  if (!result.ok)
    return { ...base, verdict: result.error.code === 'INVALID_INPUT' ? 'invalid' : 'error', summary: `${result.error.code}: ${result.error.error}` };
  const status = typeof result.data.status === 'string' ? result.data.status : undefined;
  if (category === 'read' || status === undefined) return { ...base, verdict: 'read', summary: humanText(result.text.split('\n')[0] ?? '', 300) };
  const reasons = stringList(result.data.reasons);
  if (status === 'needs-confirmation' && typeof result.data.ticketId === 'string') {
    return {
      ...base,
      verdict: 'needs-confirmation',
      summary: humanText(result.text, 400),
      ...(reasons ? { reasons } : {}),
      ticket: {
        id: result.data.ticketId,
        expiresAt: typeof result.data.expiresAt === 'number' ? result.data.expiresAt : 0,
        preview: typeof result.data.preview === 'string' ? sanitizeName(result.data.preview, 300) : '',
      },
    };
  }
  const verdict = status === 'done' ? (result.data.noOp === true ? 'noop' : 'done') : status === 'denied' ? status : 'read';
  return { ...base, verdict, summary: humanText(result.text, 400), ...(reasons ? { reasons } : {}) };
}

/** A card for a call refused before it ran (invalid arguments, tool not offered). */
export function invalidCard(id: string, tool: string, input: unknown, why: string): ToolCard {
  const args = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  return { id, tool: sanitizeName(tool, 64), input: args, verdict: 'invalid', summary: sanitizeName(why, 300) };
}
