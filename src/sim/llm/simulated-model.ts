/**
 * The "simulated model" both LLM fakes answer with when no scripted reply is queued: a
 * deterministic stand-in good enough for a demo of the whole AI path with no hardware.
 * - no tool result yet and tools offered: one call of the tool whose name/description shares the
 *   most words with the user's last message, with arguments filled from the message (numbers for
 *   integer fields, a mentioned enum value, otherwise the schema's first enum value);
 * - after a tool result: a short answer that quotes the start of that result;
 * - otherwise a short text answer.
 * Provider-neutral: each fake maps its wire format to `NeutralChat` and back.
 */

export interface NeutralTool {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the input object. */
  readonly parameters: Record<string, unknown>;
}

export interface NeutralMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly text: string;
}

export interface NeutralChat {
  readonly messages: readonly NeutralMessage[];
  readonly tools: readonly NeutralTool[];
  /** False when the request forbids tool use (tool_choice none). */
  readonly toolsAllowed: boolean;
}

export interface NeutralToolCall {
  readonly name: string;
  /** JSON text of the arguments object. */
  readonly arguments: string;
}

export interface NeutralReply {
  readonly text: string;
  readonly toolCalls: readonly NeutralToolCall[];
}

const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'is',
  'are',
  'of',
  'to',
  'in',
  'on',
  'for',
  'and',
  'or',
  'me',
  'my',
  'what',
  'how',
  'please',
  'with',
  'it',
  'this',
  'that',
  'get',
  'be',
  'do',
  'can',
  'you',
  'i',
]);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
    .map((word) => (word.length > 4 && word.endsWith('s') ? word.slice(0, -1) : word));
}

/** Index of the best-matching tool for a request, or -1 when no tool shares a word with it. */
export function bestTool(request: string, tools: readonly NeutralTool[]): number {
  const wanted = new Set(words(request));
  let best = -1;
  let bestScore = 0;
  tools.forEach((tool, index) => {
    const nameWords = new Set(words(tool.name.replace(/_/g, ' ')));
    const descWords = new Set(words(tool.description));
    let score = 0;
    for (const word of wanted) {
      if (nameWords.has(word)) score += 3;
      else if (descWords.has(word)) score += 1;
    }
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  });
  return best;
}

function fillArguments(schema: Record<string, unknown>, request: string): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const numbers = [...request.matchAll(/\b\d+\b/g)].map((match) => Number(match[0]));
  const lower = request.toLowerCase();
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(properties)) {
    const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
    const options = Array.isArray(prop.enum) ? (prop.enum as unknown[]) : undefined;
    if (options && options.length > 0) {
      const mentioned = options.find((option) => typeof option === 'string' && lower.includes(option.toLowerCase()));
      if (mentioned !== undefined || required.has(key)) out[key] = mentioned ?? options[0];
    } else if ((type === 'integer' || type === 'number') && numbers.length > 0) {
      out[key] = numbers.shift();
    } else if (required.has(key)) {
      if (type === 'integer' || type === 'number') out[key] = typeof prop.minimum === 'number' ? prop.minimum : 0;
      else if (type === 'boolean') out[key] = false;
      else if (type === 'array') out[key] = [];
      else if (type === 'object') out[key] = {};
      else out[key] = request.slice(0, 60);
    }
  }
  return out;
}

function squash(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The deterministic answer of the simulated model. */
export function simulatedReply(chat: NeutralChat): NeutralReply {
  const last = chat.messages[chat.messages.length - 1];
  if (last?.role === 'tool') {
    // Quote the data, not the frame it arrived in (tags and the frame's own notice).
    const data = last.text.replace(/<\/?cluster_data[^>]*>/g, ' ');
    return { text: `Simulated model: the tool returned ${squash(data, 240)}`, toolCalls: [] };
  }
  const request = [...chat.messages].reverse().find((message) => message.role === 'user')?.text ?? '';
  if (chat.toolsAllowed && chat.tools.length > 0) {
    const index = bestTool(request, chat.tools);
    if (index >= 0) {
      const tool = chat.tools[index]!;
      return { text: '', toolCalls: [{ name: tool.name, arguments: JSON.stringify(fillArguments(tool.parameters, request)) }] };
    }
  }
  return { text: `Simulated model: I read "${squash(request, 120)}". No tool fits, and I am a simulation, so this is all I can say.`, toolCalls: [] };
}
