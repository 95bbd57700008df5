/**
 * Context budget arithmetic for one slot: available = slot context − system − tools − query −
 * response reserve, with token counts estimated from characters and calibrated on the usage the
 * server reports (llama-server's prompt_tokens, Anthropic's input_tokens).
 */
import type { ModelMessage, ModelToolSpec } from './model-port.ts';

/** Characters per token, learned from reported usage. */
export interface TokenCalibration {
  readonly charsPerToken: number;
  readonly samples: number;
}

/** Start conservatively (Qwen/Claude average ~3.5-4 chars per English token; 3 overestimates). */
export const INITIAL_CALIBRATION: TokenCalibration = { charsPerToken: 3, samples: 0 };

const MIN_CHARS_PER_TOKEN = 1.5;
const MAX_CHARS_PER_TOKEN = 6;
/** Chat-template overhead per message (role markers, separators). */
export const MESSAGE_OVERHEAD_TOKENS = 6;
/** Safety margin on every estimate: the estimate should err high, never low. */
const MARGIN = 1.15;

/** Estimated tokens of `text` (rounded up, with margin). */
export function estimateTokens(text: string, calibration: TokenCalibration): number {
  if (text.length === 0) return 0;
  return Math.ceil((text.length / calibration.charsPerToken) * MARGIN);
}

/**
 * Folds one observation (prompt characters sent, prompt tokens the server counted) into the
 * calibration: a running mean over the last ~20 calls, clamped to a sane range.
 */
export function calibrate(calibration: TokenCalibration, promptChars: number, reportedTokens: number): TokenCalibration {
  // Short prompts are mostly template overhead: too noisy to learn from.
  if (promptChars < 200) return calibration;
  if (!(promptChars > 0) || !(reportedTokens > 0) || !Number.isFinite(promptChars) || !Number.isFinite(reportedTokens)) return calibration;
  const observed = Math.min(MAX_CHARS_PER_TOKEN, Math.max(MIN_CHARS_PER_TOKEN, promptChars / reportedTokens));
  // The prior keeps weight (1/(n+2)): one odd call cannot swing the estimate.
  const weight = 1 / Math.min(calibration.samples + 2, 20);
  const charsPerToken = calibration.charsPerToken * (1 - weight) + observed * weight;
  return { charsPerToken, samples: calibration.samples + 1 };
}

export function messageText(message: ModelMessage): string {
  if (message.role === 'assistant')
    return message.content + (message.toolCalls ?? []).map((call) => `${call.name}${JSON.stringify(call.input ?? null)}`).join('');
  return message.content;
}

export function messageTokens(message: ModelMessage, calibration: TokenCalibration): number {
  return estimateTokens(messageText(message), calibration) + MESSAGE_OVERHEAD_TOKENS;
}

export function toolTokens(tools: readonly ModelToolSpec[] | undefined, calibration: TokenCalibration): number {
  if (!tools || tools.length === 0) return 0;
  return tools.reduce(
    (sum, tool) => sum + estimateTokens(`${tool.name}${tool.description}${JSON.stringify(tool.inputSchema)}`, calibration) + MESSAGE_OVERHEAD_TOKENS,
    0,
  );
}

export interface ContextParts {
  /** Per-slot context of the server (or the model's window for the cloud), tokens. */
  readonly slotContext: number;
  readonly systemTokens: number;
  readonly toolTokens: number;
  readonly queryTokens: number;
  /** Tokens kept free for the answer (= max_tokens sent). */
  readonly responseReserve: number;
}

/** Tokens left for injected context (history, memory); never negative, never more than the slot. */
export function availableContext(parts: ContextParts): number {
  const slot = Math.max(0, Math.floor(parts.slotContext));
  const used = [parts.systemTokens, parts.toolTokens, parts.queryTokens, parts.responseReserve].reduce((sum, value) => sum + Math.max(0, Math.ceil(value)), 0);
  return Math.max(0, Math.min(slot, slot - used));
}

/** Estimated prompt tokens of a whole request (system, tools, every message). */
export function promptTokens(
  request: { system: string; tools?: readonly ModelToolSpec[] | undefined; messages: readonly ModelMessage[] },
  calibration: TokenCalibration,
): number {
  return (
    estimateTokens(request.system, calibration) +
    MESSAGE_OVERHEAD_TOKENS +
    toolTokens(request.tools, calibration) +
    request.messages.reduce((sum, message) => sum + messageTokens(message, calibration), 0)
  );
}

/**
 * Drops the oldest history until the estimate fits `maxPromptTokens`, keeping the last user message
 * and never leaving a tool result without the assistant call before it. Returns undefined when even
 * the last exchange alone does not fit.
 */
export function trimHistory(
  request: { system: string; tools?: readonly ModelToolSpec[] | undefined; messages: readonly ModelMessage[] },
  maxPromptTokens: number,
  calibration: TokenCalibration,
): readonly ModelMessage[] | undefined {
  const messages = request.messages;
  const lastUser = messages.map((message) => message.role).lastIndexOf('user');
  const keepFrom = lastUser === -1 ? Math.max(0, messages.length - 1) : lastUser;
  let start = 0;
  while (promptTokens({ ...request, messages: messages.slice(start) }, calibration) > maxPromptTokens) {
    if (start >= keepFrom) return undefined;
    start += 1;
    // Always start at a user turn: never a tool result without the call that asked for it.
    while (start < keepFrom && messages[start]?.role !== 'user') start += 1;
  }
  return messages.slice(start);
}

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/**
 * An upper bound on the prompt's tokens that needs no tokenizer: a byte-level BPE token covers at
 * least one UTF-8 byte, so bytes + per-message template overhead bounds the count. The budget
 * layer reserves against this bound, so a settled cost never exceeds the reservation.
 */
export function maxPromptTokens(request: { system: string; tools?: readonly ModelToolSpec[] | undefined; messages: readonly ModelMessage[] }): number {
  // Providers add a hidden tool-use preamble (Anthropic documents ~350 tokens); 600 covers it.
  const toolList = request.tools ?? [];
  const tools = toolList.reduce(
    (sum, tool) => sum + utf8Length(`${tool.name}${tool.description}${JSON.stringify(tool.inputSchema)}`) + 64,
    toolList.length > 0 ? 600 : 0,
  );
  return utf8Length(request.system) + 64 + tools + request.messages.reduce((sum, message) => sum + utf8Length(messageText(message)) + 16, 0);
}
