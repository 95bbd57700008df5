/**
 * The LLM fakes' deterministic stand-in tokenizer: ChatML special tokens count as one token,
 * otherwise roughly one token per word, number group (up to 3 digits) or punctuation mark, which
 * is close to a BPE vocabulary on English and JSON. Ids are a stable hash of the piece.
 * Exact counts come only from the real binary (test/llm-contract, bench/llm-tokens.bench.ts).
 */

const PIECE = /<\|[a-z_]+\|>|\s?[A-Za-z]+|\s?\d{1,3}|\s?[^\sA-Za-z\d]|\s+/g;
const VOCAB = 151_643;

export function tokenPieces(text: string): string[] {
  return text.match(PIECE) ?? [];
}

export function countTokens(text: string): number {
  return tokenPieces(text).length;
}

export function tokenId(piece: string): number {
  let hash = 2166136261;
  for (let i = 0; i < piece.length; i++) hash = Math.imul(hash ^ piece.charCodeAt(i), 16777619) >>> 0;
  return hash % VOCAB;
}

/** Splits text into the first `n` tokens' text and the rest. */
export function takeTokens(text: string, n: number): string {
  return tokenPieces(text).slice(0, Math.max(0, n)).join('');
}
