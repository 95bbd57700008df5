import { readFileSync } from 'node:fs';

/**
 * How a CLI client reaches the running server, from the environment: `JARVIS_URL`, and the API
 * token from `JARVIS_TOKEN` or the file named by `JARVIS_TOKEN_FILE` (Docker secrets; trailing
 * newline trimmed). Used by `jarvis mcp`; flags given on the command line win over these.
 */
export interface ClientEnv {
  readonly url?: string | undefined;
  readonly token?: string | undefined;
  /** Why the token file could not be read (the variable is named), when it could not. */
  readonly tokenProblem?: string | undefined;
}

/**
 * Reads the client variables once. src/config is the only module that reads the environment, so
 * the CLI calls this instead of touching `process.env`. Never throws: an unreadable token file is
 * reported in `tokenProblem`.
 */
export function readClientEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): ClientEnv {
  const url = env['JARVIS_URL'] || undefined;
  const direct = env['JARVIS_TOKEN'] || undefined;
  if (direct !== undefined) return { url, token: direct };
  const file = env['JARVIS_TOKEN_FILE'] || undefined;
  if (file === undefined) return { url };
  try {
    const token = readFile(file).trim();
    return token === '' ? { url, tokenProblem: `JARVIS_TOKEN_FILE ${file} is empty` } : { url, token };
  } catch (error) {
    return { url, tokenProblem: `cannot read JARVIS_TOKEN_FILE: ${(error as Error).message}` };
  }
}
