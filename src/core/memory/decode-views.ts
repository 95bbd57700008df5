/**
 * The readings of one text that the poisoning check looks at: the text as it would be stored
 * (NFKC, invisible characters removed) and the same text after undoing obvious disguises —
 * upper/lower case, homoglyphs and confusables, accents, letter spacing, leetspeak, percent,
 * HTML-entity and `\x`/`\u` escapes, hex and base64 (also nested once). The check rejects a
 * text when ANY reading is instruction-like, so a disguise only adds readings, never removes one.
 *
 * Pure: uses only web-standard globals (atob, TextDecoder), no node:*.
 */
import { sanitizeText } from '../llm/sanitize.ts';

/** Latin look-alikes NFKC does not fold (Cyrillic, Greek, Armenian, Latin extras). */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ь: 'b',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  ɡ: 'g',
  ʀ: 'r',
  ᴀ: 'a',
  ᴄ: 'c',
  ᴇ: 'e',
  ᴏ: 'o',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  γ: 'y',
  ζ: 'z',
  μ: 'u',
  օ: 'o',
  ո: 'n',
  ս: 'u',
  հ: 'h',
  ց: 'g',
  ı: 'i',
  ſ: 's',
  ℓ: 'l',
  ȷ: 'j',
  ɑ: 'a',
  ɩ: 'i',
  ɪ: 'i',
  ʏ: 'y',
  ɴ: 'n',
};
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l' };

/** Lower-case, confusables folded to Latin, accents stripped, whitespace collapsed. */
export function foldText(text: string): string {
  const lower = text.normalize('NFKC').toLowerCase();
  let folded = '';
  for (const char of lower) folded += CONFUSABLES[char] ?? char;
  return folded
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

/** `i g n o r e`, `i.g.n.o.r.e`, `i-g-n-o-r-e` -> `ignore` (runs of single letters joined). */
function joinSpacedLetters(text: string): string {
  return text.replace(/\b(?:\p{L}[\s._*-]){3,}\p{L}\b/gu, (run) => run.replace(/[\s._*-]/g, ''));
}

function leet(text: string): string {
  let out = '';
  for (const char of text) out += LEET[char] ?? char;
  return out;
}

function printableRatio(text: string): number {
  if (text.length === 0) return 0;
  let good = 0;
  for (const char of text) if (/[\p{L}\p{N}\p{P}\p{Zs}\n\t]/u.test(char)) good += 1;
  return good / text.length;
}

function decodeBytes(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return printableRatio(text) >= 0.85 ? text : undefined;
  } catch {
    return undefined;
  }
}

function fromBase64(token: string): string | undefined {
  const normal = token.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (normal.length % 4 === 1) return undefined;
  try {
    const binary = atob(normal + '='.repeat((4 - (normal.length % 4)) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return decodeBytes(bytes);
  } catch {
    return undefined;
  }
}

function fromHex(token: string): string | undefined {
  const clean = token.replace(/^0x/i, '');
  if (clean.length % 2 !== 0) return undefined;
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return decodeBytes(bytes);
}

const BASE64_TOKEN = /[A-Za-z0-9+/_-]{12,}={0,2}/g;
const HEX_TOKEN = /\b(?:0x)?(?:[0-9a-fA-F]{2}){8,}\b/g;

/** Decoded payloads hidden in `text` (base64, hex): each a separate reading. */
function encodedPayloads(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(BASE64_TOKEN)) {
    const decoded = fromBase64(match[0]);
    if (decoded !== undefined && /[a-z]{3,}/i.test(decoded)) found.push(decoded);
  }
  for (const match of text.matchAll(HEX_TOKEN)) {
    const decoded = fromHex(match[0]);
    if (decoded !== undefined && /[a-z]{3,}/i.test(decoded)) found.push(decoded);
  }
  // A whole text that is base64 with spaces or line breaks inside it.
  const squashed = text.replace(/\s+/g, '');
  if (squashed.length >= 16 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(squashed) && squashed !== text) {
    const decoded = fromBase64(squashed);
    if (decoded !== undefined) found.push(decoded);
  }
  return found;
}

function unescapeText(text: string): string {
  let value = text
    .replace(/&#x([0-9a-f]{1,6});?/gi, (_m, hex: string) => safeCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d{1,7});?/g, (_m, dec: string) => safeCodePoint(Number.parseInt(dec, 10)))
    .replace(/&(lt|gt|amp|quot|apos);/g, (_m, name: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[name] ?? '')
    .replace(/\\u\{?([0-9a-f]{4,6})\}?/gi, (_m, hex: string) => safeCodePoint(Number.parseInt(hex, 16)))
    .replace(/\\x([0-9a-f]{2})/gi, (_m, hex: string) => safeCodePoint(Number.parseInt(hex, 16)));
  if (/%[0-9a-f]{2}/i.test(value)) {
    try {
      value = decodeURIComponent(value);
    } catch {
      value = value.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => safeCodePoint(Number.parseInt(hex, 16)));
    }
  }
  return value;
}

function safeCodePoint(point: number): string {
  return Number.isInteger(point) && point >= 0 && point <= 0x10ffff ? String.fromCodePoint(point) : '';
}

export interface Reading {
  /** Folded text (lower-case, Latin). */
  readonly text: string;
  /** True when an encoding (base64, hex, escapes, percent) was undone to get it. */
  readonly decoded: boolean;
  /** True for the leetspeak reading (digits as letters): not used for address checks. */
  readonly leet: boolean;
}

/** Every reading to check. The first is the stored text folded. */
export function readingsOf(text: string): Reading[] {
  const readings = new Map<string, Reading>();
  const add = (value: string, decoded: boolean): void => {
    const clean = sanitizeText(value, { singleLine: true, maxLength: 8000 });
    const folded = foldText(clean);
    const joined = joinSpacedLetters(folded);
    for (const reading of [
      { text: folded, decoded, leet: false },
      { text: joined, decoded, leet: false },
      { text: leet(joined), decoded, leet: true },
    ]) {
      if (reading.text.length > 0 && !readings.has(reading.text)) readings.set(reading.text, reading);
    }
  };
  const queue: { value: string; depth: number; decoded: boolean }[] = [{ value: text, depth: 0, decoded: false }];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const { value, depth, decoded } = queue.shift() as { value: string; depth: number; decoded: boolean };
    if (seen.has(value) || seen.size > 32) continue;
    seen.add(value);
    add(value, decoded);
    const unescaped = unescapeText(value);
    if (unescaped !== value) queue.push({ value: unescaped, depth, decoded: true });
    if (depth < 2)
      for (const payload of encodedPayloads(sanitizeText(value, { maxLength: 8000 }))) queue.push({ value: payload, depth: depth + 1, decoded: true });
  }
  return [...readings.values()];
}
