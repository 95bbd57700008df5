/**
 * Sanitiser for text that comes from the cluster (guest names, descriptions, tags, logs, service
 * output, task logs, Docker labels) before it reaches a model or an MCP client.
 *
 * Steps, in order: NFKC normalisation (folds full-width and compatibility look-alikes such as
 * `＜` into `<`), removal of ANSI escape sequences (CSI, OSC, and other ESC sequences, also the
 * 8-bit C1 forms), removal of every control and format character (C0/C1 controls, DEL, bidi
 * overrides and isolates, zero-width characters, soft hyphen, BOM, Unicode tag characters) and of
 * lone surrogates and private-use characters, line-separator folding, neutralisation of the
 * chat-template control tokens of the model families Jarvis targets (see neutralizeControlTokens),
 * and a length cap with a visible marker. Newlines and tabs survive unless `singleLine` is set.
 *
 * Pure and total: never throws, whatever the input.
 */

export interface SanitizeOptions {
  /** Maximum length in code points of the result (marker included). Default 2000. */
  readonly maxLength?: number;
  /** Fold newlines and tabs into single spaces (for names, tags, labels). Default false. */
  readonly singleLine?: boolean;
}

/** Default cap in code points. */
export const DEFAULT_MAX_LENGTH = 2000;

/** ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL | ST), DCS/PM/APC/SOS (... ST), two-char escapes. */
const ESC_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[ -/]*[0-~]?/g;
/** 8-bit C1 forms: CSI (0x9b) and OSC (0x9d) with their payloads. */

const C1_SEQUENCE = /\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*(?:\u0007|\u009c)?/g;
/** Everything invisible or control-like that must not survive: Cc, Cf, Cs, Co (newline and tab handled apart). */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/gu;
/** Characters that terminals or models may render as line breaks. */
const LINE_BREAKS = /\r\n|[\r\u2028\u2029\u0085\u000b\u000c]/g;

/** Returns `text` sanitised as described in the module comment. */
export function sanitizeText(text: string, options: SanitizeOptions = {}): string {
  const maxLength = Math.max(16, options.maxLength ?? DEFAULT_MAX_LENGTH);
  let value = typeof text === 'string' ? text : String(text);
  value = toWellFormed(value).normalize('NFKC');
  value = value.replace(ESC_SEQUENCE, '').replace(C1_SEQUENCE, '');
  value = value.replace(LINE_BREAKS, '\n');
  value = value.replace(FORBIDDEN, (char) => (char === '\n' || char === '\t' ? char : ''));
  value = neutralizeControlTokens(value);
  if (options.singleLine) value = value.replace(/[\n\t]+/g, ' ').trim();
  return capLength(value, maxLength);
}

/** `<|im_start|>`, `<|im_end|>`, `<|endoftext|>`, `<|begin_of_text|>`, `<|start_header_id|>`, `<|eot_id|>`, `<|user|>`...: any `<|…|>` special token. */
const PIPE_TOKEN = /<(\s*\|[^<>|\n]{0,64}\|\s*>)/gu;
/** Tag-shaped control tokens: Qwen/Hermes tool calls, reasoning tags, Mistral/Llama BOS/EOS, Gemma turns, Anthropic function-call tags. */
const TAG_TOKEN =
  /<(\s*\/?\s*(?:tool_call|tool_calls|tool_response|tools|think|thinking|function_call|function_calls|function_results|functions|invoke|parameter|antml:[a-z_]+|s|bos|eos|pad|unk|start_of_turn|end_of_turn|start_of_image|im_start|im_end|endoftext|system|user|assistant|human|ipython)\s*(?:[\s/>]|$))/giu;
/** Llama 2 system markers `<<SYS>>` / `<</SYS>>`. */
const SYS_TOKEN = /<<(\s*\/?\s*SYS\s*)>>/giu;
/** Mistral bracket tokens: `[INST]`, `[/INST]`, `[TOOL_CALLS]`, `[AVAILABLE_TOOLS]`, `[TOOL_RESULTS]`, `[SYSTEM_PROMPT]`... */
const BRACKET_TOKEN = /\[(\s*\/?\s*(?:INST|SYS|TOOL_CALLS|AVAILABLE_TOOLS|TOOL_RESULTS|TOOL_CONTENT|SYSTEM_PROMPT|THINK)\s*)\]/giu;
/** Anthropic's turn markers (`\n\nHuman:` / `\n\nAssistant:`) and similar role prefixes at the start of a line. */
const TURN_MARKER = /(^|\n)([ \t]*)(Human|Assistant)([ \t]*):/giu;

/**
 * Neutralises chat-template control tokens so data can never open or close a turn, a tool call or
 * a system prompt: the opening `<` becomes `&lt;`, `[` becomes `&#91;`, and a line starting with
 * `Human:` / `Assistant:` becomes `[Human]:` / `[Assistant]:`. The text stays readable; the
 * result contains none of the tokens (idempotent).
 */
export function neutralizeControlTokens(text: string): string {
  return text
    .replace(PIPE_TOKEN, (_match, rest: string) => `&lt;${rest}`)
    .replace(SYS_TOKEN, (_match, inner: string) => `&lt;&lt;${inner}>>`)
    .replace(TAG_TOKEN, (_match, rest: string) => `&lt;${rest}`)
    .replace(BRACKET_TOKEN, (_match, inner: string) => `&#91;${inner}]`)
    .replace(TURN_MARKER, (_match, start: string, indent: string, role: string, space: string) => `${start}${indent}[${role}]${space}:`);
}

/** True when `text` still contains a chat-template control token (for tests and output checks). */
export function hasControlToken(text: string): boolean {
  // Look-alikes count: full-width forms and invisible characters inside a token still spell it.
  const folded = toWellFormed(text)
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '');
  const probe = (pattern: RegExp): boolean => {
    pattern.lastIndex = 0;
    const found = pattern.test(folded);
    pattern.lastIndex = 0;
    return found;
  };
  return probe(PIPE_TOKEN) || probe(TAG_TOKEN) || probe(SYS_TOKEN) || probe(BRACKET_TOKEN) || probe(TURN_MARKER);
}

/** Sanitises a short single-line value (name, tag, label) with a small cap (default 120). */
export function sanitizeName(text: string, maxLength = 120): string {
  return sanitizeText(text, { singleLine: true, maxLength });
}

/** Cuts `value` to `maxLength` code points, ending with `…[+N chars cut]` when cut. */
export function capLength(value: string, maxLength: number): string {
  const points = Array.from(value);
  if (points.length <= maxLength) return value;
  const marker = (cut: number): string => `…[+${cut} chars cut]`;
  let keep = maxLength - marker(points.length).length;
  if (keep < 0) keep = 0;
  return points.slice(0, keep).join('') + marker(points.length - keep);
}

/** Replaces lone surrogates with U+FFFD (String.prototype.toWellFormed is Node 20+, typed in ES2024). */
function toWellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
