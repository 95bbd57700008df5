/** Token estimate used when no tokenizer is injected: conservative (about 3 characters per token). */
export type TokenEstimator = (text: string) => number;

export const estimateTokens: TokenEstimator = (text) => Math.ceil(Array.from(text).length / 3);
