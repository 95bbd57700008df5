import { z } from 'zod';

/**
 * Lenient decoders for PVE's Perl-typed JSON (pve-api.md §1.3): booleans arrive as 0/1, numbers
 * sometimes as strings, optional fields are absent (we also accept null). Schemas declare only
 * the fields Jarvis reads; unknown keys are tolerated and dropped (z.object strips: cheaper than
 * copying every key with a loose object, and nothing downstream may see raw PVE fields anyway).
 */

const NUMERIC = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A number, or a string holding one (`"3800.000"`). */
export const num = z.union([z.number(), z.string().regex(NUMERIC).transform(Number)]);

/** 0/1, "0"/"1" or a boolean, decoded to a boolean. */
export const bool01 = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.literal('0'), z.literal('1')])
  .transform((value) => value === true || value === 1 || value === '1');

/** Optional in PVE terms: absent or null both mean "not reported". */
export const opt = <T extends z.ZodType>(schema: T) => schema.nullish();

/** Splits PVE's `;`/`,`-separated tag string (`"mgmt;protected"`) into a list. */
export function splitTags(tags: string | null | undefined): string[] {
  if (!tags) return [];
  return tags.split(/[;,\s]+/).filter((tag) => tag !== '');
}

/** Splits a comma list (`"images,rootdir"`). */
export function splitList(value: string | null | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `null`/`undefined` -> `undefined` (zod's nullish keeps null). */
export function defined<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}
