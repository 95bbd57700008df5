import type { z } from 'zod';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';

/**
 * Validates PVE's `data` against a lenient schema. A mismatch is PVE_BAD_RESPONSE naming the
 * first offending path; the raw value never leaves the adapter.
 */
export function decode<S extends z.ZodType>(schema: S, data: unknown, where: string): Result<z.output<S>, JarvisError> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const at = issue ? issue.path.join('.') : '';
  return err(
    jarvisError('PVE_BAD_RESPONSE', `unexpected PVE response from ${where}${at ? ` at ${at}` : ''}: ${issue?.message ?? 'invalid'}`, {
      details: { where, path: at, issues: parsed.error.issues.length },
    }),
  );
}
