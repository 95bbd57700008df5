import type { z } from 'zod';

/** How an environment variable or CLI flag value (always a string) is converted. */
export type ScalarKind = 'string' | 'number' | 'boolean' | 'list';

/** Binds one `JARVIS_*` variable or one `--flag` to a key of the section. */
export interface ConfigBinding {
  /** Env var name (`JARVIS_SERVER_PORT`) or flag (`--port`). */
  readonly name: string;
  /** Key path inside the section, e.g. `['port']`. */
  readonly path: readonly string[];
  readonly kind: ScalarKind;
}

/**
 * One top-level section of jarvis.yaml. Each section lives in its own file and is listed in
 * ./index.ts, so an engineer adds a section without touching anyone else's schema.
 * The schema must be a strict object whose every key has a default or is optional: a missing
 * section means "all defaults".
 */
export interface ConfigSection<S extends z.ZodType = z.ZodType> {
  /** Top-level YAML key. */
  readonly key: string;
  /** One line for docs and `unknown key` hints. */
  readonly description: string;
  readonly schema: S;
  /** Environment overrides (precedence: flag > env > file > default). */
  readonly env?: readonly ConfigBinding[];
  /** CLI flag overrides. */
  readonly flags?: readonly ConfigBinding[];
}

/** Identity helper that keeps the schema's precise type. */
export function defineSection<S extends z.ZodType>(section: ConfigSection<S>): ConfigSection<S> {
  return section;
}
