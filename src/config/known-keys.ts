import type { z } from 'zod';

type Def = { type?: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType; in?: z.ZodType };

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 10; depth += 1) {
    const def = (current as unknown as { _zod: { def: Def } })._zod.def;
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else break;
  }
  return current;
}

/**
 * Keys an object schema accepts at `path` (for "unknown key; known keys here: ..." hints).
 * Descends through defaults, optionals, arrays and records; undefined when not an object.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current = unwrap(schema);
  for (const part of path) {
    if (!current) return undefined;
    const def = (current as unknown as { _zod: { def: Def } })._zod.def;
    if (def.shape && typeof part === 'string') current = unwrap(def.shape[part]);
    else if (def.element && typeof part === 'number') current = unwrap(def.element);
    else if (def.valueType) current = unwrap(def.valueType);
    else return undefined;
  }
  const def = current ? (current as unknown as { _zod: { def: Def } })._zod.def : undefined;
  return def?.shape ? Object.keys(def.shape) : undefined;
}
