import type { ConfigIssue } from './config-error.ts';

/** Secrets Jarvis reads, and the env var that carries each (plus `<NAME>_FILE` for Docker secrets). */
export const SECRET_ENV = {
  pveTokenSecret: 'JARVIS_PVE_TOKEN_SECRET',
  pvePassword: 'JARVIS_PVE_PASSWORD',
  adminPassword: 'JARVIS_ADMIN_PASSWORD',
  anthropicApiKey: 'JARVIS_ANTHROPIC_API_KEY',
  llmLocalApiKey: 'JARVIS_LLM_LOCAL_API_KEY',
  sessionSecret: 'JARVIS_SESSION_SECRET',
} as const;

export type SecretName = keyof typeof SECRET_ENV;

/** Resolved secrets; absent when not provided. Serialises as `[redacted]` so it never lands in a log. */
export type Secrets = { readonly [K in SecretName]?: string };

export interface SecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a secret file; throws on failure (the caller turns it into an issue). */
  readonly readFile: (path: string) => string;
}

/**
 * Reads every secret from `NAME` or, failing that, from the file named by `NAME_FILE` (trailing
 * newline trimmed). Setting both is an error, as is an unreadable or empty file.
 */
export function resolveSecrets(sources: SecretSources): { secrets: Secrets; issues: ConfigIssue[] } {
  const values: Partial<Record<SecretName, string>> = {};
  const issues: ConfigIssue[] = [];
  for (const [name, variable] of Object.entries(SECRET_ENV) as [SecretName, string][]) {
    const direct = sources.env[variable];
    const file = sources.env[`${variable}_FILE`];
    if (direct !== undefined && direct !== '' && file !== undefined && file !== '') {
      issues.push({ key: variable, expected: `set either ${variable} or ${variable}_FILE, not both` });
      continue;
    }
    if (direct !== undefined && direct !== '') {
      values[name] = direct;
      continue;
    }
    if (file === undefined || file === '') continue;
    let content: string;
    try {
      content = sources.readFile(file).replace(/\r?\n$/, '');
    } catch (error) {
      issues.push({ key: `${variable}_FILE`, value: file, expected: secretFileProblem((error as NodeJS.ErrnoException).code, file) });
      continue;
    }
    if (content.trim() === '') issues.push({ key: `${variable}_FILE`, value: file, expected: 'a file holding the secret (the file is empty)' });
    else values[name] = content;
  }
  const secrets = Object.defineProperty({ ...values }, 'toJSON', { value: () => '[redacted]', enumerable: false }) as Secrets;
  return { secrets, issues };
}

/**
 * What is wrong with an unreadable secret file and how to fix it, by the read's errno code. In
 * Docker a compose secret is a bind mount that keeps the host file's owner and mode, and Jarvis runs
 * as uid 1000 (the image's `node` user), so a root-owned 0600 file fails with EACCES.
 */
export function secretFileProblem(code: string | undefined, file: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `a file this process may read; it may not (${code}): make it readable by the user Jarvis runs as, e.g. \`chown 1000:1000 ${file} && chmod 600 ${file}\` on the host file (uid 1000 is the Docker image's user; deploy/docker-compose.yml header)`;
    case 'ENOENT':
      return `a file holding the secret; there is none (ENOENT): create it (deploy/docker-compose.yml header) or fix the path`;
    case 'EISDIR':
      return `a file holding the secret, not a directory (EISDIR)`;
    default:
      return `a readable file holding the secret (${code ?? 'unreadable'})`;
  }
}
