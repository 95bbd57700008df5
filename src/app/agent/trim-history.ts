/**
 * Cuts a conversation's history to a token budget: keeps the newest messages that fit (never
 * splitting a tool call from its result) and says in one line what was dropped.
 */
import type { ModelMessage } from '../../core/llm/model-port.ts';
import type { StoredMessage } from '../../core/ports/conversations.ts';

/** Rough tokens of a text (4 characters a token; the gateway calibrates its own estimate). */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4) + 4;

export function toModelMessages(stored: readonly StoredMessage[]): ModelMessage[] {
  return stored.map((message): ModelMessage => {
    if (message.role === 'tool') return { role: 'tool', toolCallId: message.toolCallId ?? '', toolName: message.toolName ?? '', content: message.content };
    if (message.role === 'assistant') return { role: 'assistant', content: message.content, ...(message.toolCalls ? { toolCalls: message.toolCalls } : {}) };
    return { role: 'user', content: message.content };
  });
}

/** Returns the kept messages (oldest first) and, when something was dropped, a one-line summary. */
export function trimHistory(messages: readonly ModelMessage[], budgetTokens: number): { kept: ModelMessage[]; summary?: string } {
  const kept: ModelMessage[] = [];
  let used = 0;
  let index = messages.length - 1;
  while (index >= 0) {
    // A turn group: from a user message to the next one (tool results stay with their call).
    let start = index;
    while (start > 0 && messages[start]!.role !== 'user') start -= 1;
    const group = messages.slice(start, index + 1);
    const cost = group.reduce((sum, message) => sum + estimateTokens(message.content), 0);
    if (used + cost > budgetTokens) break;
    kept.unshift(...group);
    used += cost;
    index = start - 1;
  }
  const dropped = messages.slice(0, index + 1);
  if (dropped.length === 0) return { kept };
  const asked = dropped.filter((message) => message.role === 'user').map((message) => message.content.replace(/\s+/g, ' ').slice(0, 40));
  const summary = `Earlier in this conversation (${dropped.length} message(s) left out to fit the model's context) the user asked: ${
    asked
      .slice(-4)
      .map((text) => `"${text}"`)
      .join('; ') || 'nothing'
  }.`;
  return { kept, summary };
}
