/**
 * The crash-proof wrapper every tool call goes through (MCP, chat agent, monitor): validates the
 * input, bounds the call by its deadline (the handler's signal is aborted and a TIMEOUT error is
 * returned even if an adapter ignores the signal), and turns anything thrown into a structured
 * INTERNAL error. Never throws, never rejects.
 */
import { jarvisError, toJarvisError } from '../../core/errors.ts';
import { failure, type AnyToolDefinition, type ToolResult } from './define-tool.ts';
import { toModelFacing } from './model-facing.ts';
import { sanitizeName, sanitizeText } from '../../core/llm/sanitize.ts';
import { sanitizeForModel } from '../../core/llm/frame.ts';
import type { ToolContext } from './tool-context.ts';

/** Runs `tool` with untrusted `rawInput`; resolves to a ToolResult within the tool's timeout (+ a few ms). */
export async function runTool(tool: AnyToolDefinition, rawInput: unknown, context: ToolContext, outerSignal?: AbortSignal): Promise<ToolResult> {
  const started = performance.now();
  // One gate: whatever a handler built, every string a model can read leaves sanitised (issue 8).
  const result = toModelFacing(await runGuarded(tool, rawInput, context, outerSignal));
  if (context.onToolCall) {
    try {
      const status = result.ok && typeof result.data.status === 'string' ? result.data.status : undefined;
      const refusedInput = !result.ok && result.error.code === 'INVALID_INPUT';
      const written = await context.onToolCall({
        tool: tool.name,
        category: tool.category,
        actor: context.actor,
        ok: result.ok,
        code: result.ok ? undefined : result.error.code,
        status,
        durationMs: performance.now() - started,
        input: cappedInput(rawInput),
        ...(refusedInput ? { rawInput: rawJson(rawInput) } : {}),
      });
      // Write-ahead: no answer leaves without its audit row, except an act that already ran (say so instead).
      if (typeof written === 'object' && written !== null && (written as { ok?: unknown }).ok === false) {
        if (status === 'done')
          return { ...result, text: `${result.ok ? result.text : ''}\n(warning: the audit row of this call was not written)` } as ToolResult;
        return failure(
          tool.name,
          jarvisError('AUDIT_UNAVAILABLE', 'the audit log could not record this call, so its answer is withheld', {
            retryable: true,
            hint: 'check the audit database (storage path writable, disk not full)',
          }),
        );
      }
    } catch {
      // An observer must never break a tool call.
    }
  }
  return result;
}

/** Raw arguments of a refused call for the audit row: JSON, sanitised, at most 500 characters. */
export function rawJson(rawInput: unknown): string {
  let json: string;
  try {
    // Sanitise the values first: JSON would turn control characters into printable `\u001b` escapes.
    json = JSON.stringify(sanitizeForModel(rawInput)) ?? String(rawInput);
  } catch {
    json = String(rawInput);
  }
  return sanitizeText(json.slice(0, 2000), { maxLength: 500 });
}

/** The caller's arguments for observers (audit): plain values, strings capped at 200 chars. */
function cappedInput(rawInput: unknown): Record<string, unknown> | undefined {
  if (typeof rawInput !== 'object' || rawInput === null || Array.isArray(rawInput)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rawInput).slice(0, 20)) {
    out[sanitizeName(key, 64)] =
      typeof value === 'string'
        ? sanitizeText(value.slice(0, 400), { maxLength: 200 })
        : typeof value === 'number' || typeof value === 'boolean' || value === null
          ? value
          : '[object]';
  }
  return out;
}

async function runGuarded(tool: AnyToolDefinition, rawInput: unknown, context: ToolContext, outerSignal?: AbortSignal): Promise<ToolResult> {
  // Unknown arguments are refused here (not via .strict(), which would cost schema tokens).
  const unknown = typeof rawInput === 'object' && rawInput !== null ? Object.keys(rawInput).filter((key) => !(key in tool.input.shape)) : [];
  if (unknown.length > 0) {
    return failure(
      tool.name,
      jarvisError('INVALID_INPUT', `unknown argument(s): ${unknown.join(', ').slice(0, 200)}`, {
        hint: `allowed: ${Object.keys(tool.input.shape).join(', ') || 'none'}`,
      }),
    );
  }
  const parsed = tool.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
    return failure(tool.name, jarvisError('INVALID_INPUT', `invalid input: ${issues}`.slice(0, 400), { hint: 'fix the arguments to match the input schema' }));
  }
  const timeoutMs = context.timeouts[tool.timeout];
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(outerSignal?.reason);
  outerSignal?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<ToolResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error('tool deadline'));
      resolve(
        failure(
          tool.name,
          jarvisError('TIMEOUT', `${tool.name} did not finish within ${timeoutMs} ms`, {
            hint: 'retry later; if it persists, check the node or service with check_cluster_health',
          }),
        ),
      );
    }, timeoutMs);
  });
  try {
    const work = Promise.resolve()
      .then(() => tool.handler(parsed.data, { context, signal: controller.signal, now: context.clock.now() }))
      .catch((thrown: unknown) =>
        failure(tool.name, {
          ...toJarvisError(thrown),
          code: 'INTERNAL',
          retryable: true,
          hint: 'this is a Jarvis bug; the server keeps running, other tools still work',
        }),
      );
    const result = await Promise.race([work, deadline]);
    return isToolResult(result) ? result : failure(tool.name, jarvisError('INTERNAL', `${tool.name} returned a malformed result`));
  } catch (thrown) {
    return failure(tool.name, { ...toJarvisError(thrown), code: 'INTERNAL', retryable: true });
  } finally {
    if (timer) clearTimeout(timer);
    outerSignal?.removeEventListener('abort', onOuterAbort);
  }
}

function isToolResult(value: unknown): value is ToolResult {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; text?: unknown; error?: unknown };
  return candidate.ok === true ? typeof candidate.text === 'string' : candidate.ok === false && typeof candidate.error === 'object';
}
