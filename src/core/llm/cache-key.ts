/**
 * The answer cache's key: exact match on the normalised question, the tool subset, the persona
 * version, the model and the caller's hash of the framed tool results it used. Semantic caching
 * misbehaves on agent traffic, so nothing fuzzier.
 */
import { normalizeRequestText } from './classify.ts';

export interface CacheKeyParts {
  readonly question: string;
  readonly tools: readonly string[];
  readonly personaVersion: string;
  readonly model: string;
  /** Hash of the framed tool results the answer was built from (ModelRequest.cacheKeyExtra). */
  readonly toolResultsHash: string;
}

/** A canonical string; equal parts give equal keys regardless of tool order or spacing/case of the question. */
export function cacheKey(parts: CacheKeyParts): string {
  return JSON.stringify([normalizeRequestText(parts.question), [...parts.tools].sort(), parts.personaVersion, parts.model, parts.toolResultsHash]);
}
