/**
 * Retry layer: the only place a model call is repeated (SDK retries are off). Before the call it
 * trims history so prompt + max_tokens fits the slot; after it:
 * - 400 exceed_context_size_error -> recalibrate from the server's count, trim, retry once;
 * - 500 "Context size has been exceeded." (shared KV pool) -> report the pool, queue, retry once
 *   (a capacity error, never counted as a model failure);
 * - a tool call cut off at max_tokens -> retry once with twice the output room (if it fits), else
 *   LLM_BAD_RESPONSE.
 * Successful calls recalibrate the token estimate on the reported prompt tokens.
 */
import { err, jarvisError, ok } from '../../core/errors.ts';
import { calibrate, MESSAGE_OVERHEAD_TOKENS, messageText, promptTokens, trimHistory, type TokenCalibration } from '../../core/llm/context-budget.ts';
import type { LayerCall, LayerOutput, ModelLayer } from './model-layers.ts';

export interface RetryLayerOptions {
  /** Context available to one request (the slot, or the cloud model's window as configured). */
  readonly contextTokens: () => number;
  readonly calibration: () => TokenCalibration;
  readonly setCalibration: (calibration: TokenCalibration) => void;
  /** Called on a shared-pool 500 (kvUnified: auto learns the pool is shared). */
  readonly onSharedPoolOverrun?: (() => void) | undefined;
}

const promptChars = (call: LayerCall): number =>
  call.request.system.length +
  (call.request.tools ?? []).reduce((sum, tool) => sum + tool.name.length + tool.description.length + JSON.stringify(tool.inputSchema).length, 0) +
  call.messages.reduce((sum, message) => sum + messageText(message).length, 0);

/** Template tokens the server counts on top of the text (role markers per message, tool wrappers). */
const overheadTokens = (call: LayerCall): number => (call.messages.length + 1 + (call.request.tools?.length ?? 0)) * MESSAGE_OVERHEAD_TOKENS;

const contextError = (call: LayerCall, limit: number) =>
  err(
    jarvisError('LLM_CONTEXT_EXCEEDED', `the question alone does not fit the model's context (${limit} tokens after the answer reserve)`, {
      retryable: false,
      hint: "ask a shorter question or raise the server's per-slot context (-c / -np)",
      details: { purpose: call.request.purpose },
    }),
  );

/**
 * Cut off at max_tokens while calling a tool: a parsed-but-cut call, nothing at all, or the start of
 * the template's tool-call markup (`<tool_call>` in Qwen's template) left in the text.
 */
const truncatedToolCall = (output: LayerOutput): boolean =>
  output.finishReason === 'length' && (output.toolCalls.length > 0 || output.text.trim() === '' || /^\s*<\/?tool/.test(output.text));

/** The call without its oldest turn (up to the next user message); undefined when only the question is left. */
function dropOldestTurn(call: LayerCall): LayerCall | undefined {
  const lastUser = call.messages.map((message) => message.role).lastIndexOf('user');
  let start = 1;
  while (start < lastUser && call.messages[start]?.role !== 'user') start += 1;
  return lastUser > 0 ? { ...call, messages: call.messages.slice(start) } : undefined;
}

export function retryLayer(options: RetryLayerOptions): ModelLayer {
  return (next) => async (initial) => {
    const fit = (call: LayerCall, calibrationToUse: TokenCalibration) => {
      const limit = options.contextTokens() - call.maxOutputTokens;
      if (promptTokens({ ...call.request, messages: call.messages }, calibrationToUse) <= limit) return ok(call);
      const trimmed = trimHistory({ system: call.request.system, tools: call.request.tools, messages: call.messages }, limit, calibrationToUse);
      return trimmed ? ok({ ...call, messages: trimmed }) : contextError(call, limit);
    };
    const first = fit(initial, options.calibration());
    if (!first.ok) return first;
    let call = first.value;
    let result = await next(call);
    if (!result.ok && result.error.code === 'LLM_CONTEXT_EXCEEDED') {
      const counted = Number(result.error.details?.['nPromptTokens']);
      if (Number.isFinite(counted) && counted > 0) options.setCalibration(calibrate(options.calibration(), promptChars(call), counted - overheadTokens(call)));
      // Aim below the limit: the server said our estimate was low.
      const stricter = { ...options.calibration(), charsPerToken: options.calibration().charsPerToken * 0.8 };
      const refit = fit(call, stricter);
      if (!refit.ok) return refit;
      // The server is the judge: drop at least the oldest turn even when the estimate says it fits.
      const trimmed = refit.value.messages.length < call.messages.length ? refit.value : dropOldestTurn(call);
      if (!trimmed) return contextError(call, options.contextTokens() - call.maxOutputTokens);
      call = trimmed;
      result = await next(call);
    } else if (!result.ok && result.error.code === 'LLM_CAPACITY') {
      options.onSharedPoolOverrun?.();
      result = await next(call);
    } else if (result.ok && truncatedToolCall(result.value)) {
      const room = options.contextTokens() - promptTokens({ ...call.request, messages: call.messages }, options.calibration());
      const bigger = Math.min(call.maxOutputTokens * 2, room);
      if (bigger > call.maxOutputTokens) {
        call = { ...call, maxOutputTokens: bigger };
        result = await next(call);
      }
      if (result.ok && truncatedToolCall(result.value)) {
        return err(
          jarvisError('LLM_BAD_RESPONSE', `the model's answer was cut off at ${call.maxOutputTokens} tokens (finish_reason length)`, {
            retryable: true,
            details: { truncated: true, maxOutputTokens: call.maxOutputTokens },
          }),
        );
      }
    }
    if (result.ok) {
      if (result.value.inputTokens > 0)
        options.setCalibration(calibrate(options.calibration(), promptChars(call), result.value.inputTokens - overheadTokens(call)));
      const trimmedMessages = initial.messages.length - call.messages.length;
      return ok({ ...result.value, ...(trimmedMessages > 0 ? { trimmedMessages } : {}) });
    }
    return result;
  };
}
