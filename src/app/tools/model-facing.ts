/**
 * The one gate between a tool and a model (issue 8): every ToolResult leaves runTool through
 * `toModelFacing`, and every transport renders it with `modelText`. Text keeps only the frames
 * frameClusterData wrote, everything else in it sanitised (enforceFraming); structured data and
 * error fields are sanitised string by string (sanitizeForModel); an error's message, which can
 * quote PVE, SSH or Docker, reaches the model's text channel inside a frame (JSON: `error` and `hint` are
 * frames, the other fields are codes and flags).
 */
import { enforceFraming, frameClusterData, sanitizeForModel } from '../../core/llm/frame.ts';
import type { ToolError, ToolResult } from './define-tool.ts';

/** Sanitises every string a model can read in `result` (text, structured data, error fields). */
export function toModelFacing(result: ToolResult): ToolResult {
  if (result.ok) return { ok: true, text: enforceFraming(result.text), data: sanitizeForModel(result.data) as Record<string, unknown> };
  return { ok: false, error: sanitizeForModel(result.error) as ToolError };
}

/** What a model reads for `result`: its text, or the error as JSON with the message framed as data. */
export function modelText(result: ToolResult, at: number): string {
  if (result.ok) return result.text;
  const frame = (text: string): string => frameClusterData(text, { source: `error:${result.error.tool}`, at }, 600);
  return JSON.stringify({ ...result.error, error: frame(result.error.error), ...(result.error.hint !== undefined ? { hint: frame(result.error.hint) } : {}) });
}
