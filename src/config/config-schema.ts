import { z } from 'zod';
import { sections } from './sections/index.ts';

type Sections = typeof sections;
type SectionShape = { [K in keyof Sections]: z.ZodPrefault<Sections[K]['schema']> };

function buildShape(): SectionShape {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, section] of Object.entries(sections)) shape[key] = (section.schema as z.ZodType).prefault({});
  return shape as SectionShape;
}

/**
 * The whole jarvis.yaml: a strict object of sections, each defaulting to its own defaults.
 * An unknown top-level key is an error (typos never pass silently).
 */
export const configFileSchema = z.strictObject(buildShape());

/** The validated file content (before paths, topology and secrets are resolved). */
export type ConfigFile = z.output<typeof configFileSchema>;
