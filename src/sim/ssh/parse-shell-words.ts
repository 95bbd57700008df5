/**
 * Parses the command string an SSH client sent in its exec request back into argv, the way a POSIX
 * shell would tokenise it: whitespace separates words, '...' quotes literally, "..." quotes with
 * backslash escapes for " \ $ `, and a backslash outside quotes escapes the next character.
 * It never expands anything. Unquoted shell operators (; | & < > ( ) ` $ and newlines) make the
 * result `{ ok: false }`: the simulator refuses compound commands instead of interpreting them.
 */
export type ParsedCommand = { readonly ok: true; readonly argv: string[] } | { readonly ok: false; readonly reason: string };

const OPERATORS = new Set([';', '|', '&', '<', '>', '(', ')', '`', '$', '\n']);

export function parseShellWords(command: string): ParsedCommand {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let index = 0;
  while (index < command.length) {
    const char = command[index]!;
    if (char === ' ' || char === '\t') {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
      index += 1;
    } else if (char === "'") {
      const end = command.indexOf("'", index + 1);
      if (end < 0) return { ok: false, reason: 'unterminated single quote' };
      word += command.slice(index + 1, end);
      inWord = true;
      index = end + 1;
    } else if (char === '"') {
      const parsed = readDoubleQuoted(command, index + 1);
      if (!parsed.ok) return parsed;
      word += parsed.text;
      inWord = true;
      index = parsed.next;
    } else if (char === '\\') {
      if (index + 1 >= command.length) return { ok: false, reason: 'trailing backslash' };
      word += command[index + 1];
      inWord = true;
      index += 2;
    } else if (OPERATORS.has(char)) {
      return { ok: false, reason: `unquoted shell operator ${JSON.stringify(char)}` };
    } else {
      word += char;
      inWord = true;
      index += 1;
    }
  }
  if (inWord) argv.push(word);
  return { ok: true, argv };
}

function readDoubleQuoted(command: string, start: number): { ok: true; text: string; next: number } | { ok: false; reason: string } {
  let text = '';
  let index = start;
  while (index < command.length) {
    const char = command[index]!;
    if (char === '"') return { ok: true, text, next: index + 1 };
    if (char === '$' || char === '`') return { ok: false, reason: 'expansion inside double quotes' };
    if (char === '\\' && index + 1 < command.length && '"\\$`'.includes(command[index + 1]!)) {
      text += command[index + 1];
      index += 2;
    } else {
      text += char;
      index += 1;
    }
  }
  return { ok: false, reason: 'unterminated double quote' };
}
