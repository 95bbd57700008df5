import type { ConfigIssue } from './config-error.ts';
import { dottedKey } from './format-zod-issue.ts';
import { SECRET_ENV } from './secrets.ts';

/** Keys that look like they hold a secret. `tokenId`, `keyFile`, `*File` paths are fine. */
const SECRET_KEY = /(secret|passw(or)?d|api_?key|private_?key|credential|^token$|^auth_?token$|^bearer$)/i;

function envFor(path: readonly PropertyKey[]): string {
  const key = String(path[path.length - 1] ?? '').toLowerCase();
  const section = String(path[0] ?? '').toLowerCase();
  if (section === 'pve' && /pass/.test(key)) return SECRET_ENV.pvePassword;
  if (section === 'pve') return SECRET_ENV.pveTokenSecret;
  if (section === 'llm' && String(path[1] ?? '').toLowerCase() === 'local') return SECRET_ENV.llmLocalApiKey;
  if (section === 'llm' || /api_?key/.test(key)) return SECRET_ENV.anthropicApiKey;
  if (/session/.test(key)) return SECRET_ENV.sessionSecret;
  if (/pass/.test(key)) return SECRET_ENV.adminPassword;
  return 'an environment variable';
}

/**
 * Finds secret-looking keys anywhere in the parsed YAML. Each is an issue naming the key and the
 * env var (or `_FILE` indirection) to use instead; the value itself is never echoed.
 */
export function findSecretKeys(raw: unknown, path: PropertyKey[] = []): ConfigIssue[] {
  if (Array.isArray(raw)) return raw.flatMap((item, index) => findSecretKeys(item, [...path, index]));
  if (typeof raw !== 'object' || raw === null) return [];
  const issues: ConfigIssue[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const here = [...path, key];
    if (SECRET_KEY.test(key) && !/file$/i.test(key)) {
      const variable = envFor(here);
      issues.push({
        key: dottedKey(here),
        expected: `secrets are not allowed in the config file; set ${variable} (or ${variable}_FILE pointing to a file, e.g. a Docker secret) instead`,
      });
      continue;
    }
    issues.push(...findSecretKeys(value, here));
  }
  return issues;
}
