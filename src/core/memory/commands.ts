/** Chat commands "remember …" / "forget …": parsed here, run by the memory service through the same check. */
export type MemoryCommand = { readonly verb: 'remember' | 'forget'; readonly body: string };

const COMMAND = /^\s*(?:(?:hey\s+)?jarvis[,:]?\s*)?(?:please\s+)?(remember|forget)\b\s*(?:that\s+|about\s+)?[:,-]?\s*([\s\S]*)$/i;

/** The command in a chat message, or undefined when the message is not a memory command. */
export function parseMemoryCommand(message: string): MemoryCommand | undefined {
  const match = COMMAND.exec(typeof message === 'string' ? message : '');
  if (!match) return undefined;
  const body = (match[2] ?? '').trim();
  if (body.length === 0) return undefined;
  return { verb: (match[1] ?? '').toLowerCase() === 'forget' ? 'forget' : 'remember', body };
}
