import type { z } from 'zod';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';

/** Validates request input with a protocol schema; INVALID_INPUT names the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): Result<z.infer<S>, JarvisError> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'request';
  return err(jarvisError('INVALID_INPUT', `${where}: ${issue?.message ?? 'invalid'}`));
}
