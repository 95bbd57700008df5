/**
 * The llama-server fake's prompt rendering: the Qwen2.5 chat template (ChatML with a `# Tools`
 * system section and `<tool_call>` / `<tool_response>` blocks), written out in code so
 * `/apply-template` and the prompt-size arithmetic follow the same shape as the real server
 * running a Qwen2.5 GGUF with `--jinja`.
 */

export interface ChatToolCallWire {
  readonly id?: string;
  readonly type?: string;
  readonly function: { readonly name: string; readonly arguments: string | Record<string, unknown> };
}

export interface ChatMessageWire {
  readonly role: string;
  readonly content?: unknown;
  readonly tool_calls?: readonly ChatToolCallWire[];
  readonly tool_call_id?: string;
}

const DEFAULT_SYSTEM = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.';

/** Text of an OpenAI message content (string, or an array of `{type:"text", text}` parts). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
      .join('');
  }
  return '';
}

/** Python/Jinja `tojson`-like serialisation: `", "` and `": "` separators. */
export function toJinjaJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(toJinjaJson).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}: ${toJinjaJson(v)}`)
    .join(', ')}}`;
}

export function renderChatML(messages: readonly ChatMessageWire[], tools: readonly unknown[] | undefined, addGenerationPrompt = true): string {
  let out = '';
  const first = messages[0];
  const hasSystem = first?.role === 'system';
  if (tools && tools.length > 0) {
    out += `<|im_start|>system\n${hasSystem ? contentText(first.content) : DEFAULT_SYSTEM}`;
    out +=
      '\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>';
    for (const tool of tools) out += `\n${toJinjaJson(tool)}`;
    out +=
      '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n';
  } else {
    out += `<|im_start|>system\n${hasSystem ? contentText(first.content) : DEFAULT_SYSTEM}<|im_end|>\n`;
  }
  messages.forEach((message, index) => {
    if (index === 0 && hasSystem) return;
    if (message.role === 'tool') {
      const previous = messages[index - 1];
      if (previous?.role !== 'tool') out += '<|im_start|>user';
      out += `\n<tool_response>\n${contentText(message.content)}\n</tool_response>`;
      if (messages[index + 1]?.role !== 'tool') out += '<|im_end|>\n';
      return;
    }
    if (message.role === 'assistant' && message.tool_calls && message.tool_calls.length > 0) {
      out += `<|im_start|>assistant`;
      const text = contentText(message.content);
      if (text) out += `\n${text}`;
      for (const call of message.tool_calls) {
        const args = typeof call.function.arguments === 'string' ? call.function.arguments : toJinjaJson(call.function.arguments);
        out += `\n<tool_call>\n{"name": "${call.function.name}", "arguments": ${args}}\n</tool_call>`;
      }
      out += '<|im_end|>\n';
      return;
    }
    out += `<|im_start|>${message.role}\n${contentText(message.content)}<|im_end|>\n`;
  });
  if (addGenerationPrompt) out += '<|im_start|>assistant\n';
  return out;
}

/** The text the model would generate for a tool call (what counts as its output tokens). */
export function toolCallText(name: string, args: string): string {
  return `<tool_call>\n{"name": "${name}", "arguments": ${args}}\n</tool_call>`;
}
