/**
 * `jarvis token create --role viewer|operator|admin [--name N]` prints a new API token (bearer, for
 * MCP and CLI clients) once; only its SHA-256 is stored. `jarvis token revoke ID` revokes one;
 * `jarvis token list` shows ids, names, roles and state (never secrets). Works on the same
 * database as the running server (<dataDir>/auth.db), so changes apply at once.
 */
import { AuthService } from '../../app/auth/auth-service.ts';
import { authPaths } from '../../app/auth/auth-paths.ts';
import { isRole } from '../../app/auth/roles.ts';
import { SqliteAuthStore } from '../../adapters/sqlite/auth-store.ts';
import { formatConfigError, loadConfig } from '../../config/index.ts';

const USAGE = 'usage: jarvis token create --role viewer|operator|admin [--name NAME] | jarvis token revoke ID | jarvis token list [--data-dir DIR] [--config FILE]\n';

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index >= 0) return args[index + 1];
  const inline = args.find((arg) => arg.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

/** The first positional argument: not a `--flag`, nor the value after a `--flag` without `=`. */
function positional(args: readonly string[]): string | undefined {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (!arg.startsWith('--')) return arg;
    if (!arg.includes('=')) index += 1;
  }
  return undefined;
}

export async function run(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const loaded = loadConfig({ argv: rest });
  if (!loaded.ok) {
    process.stderr.write(`${formatConfigError(loaded.error)}\n`);
    return 2;
  }
  const store = SqliteAuthStore.open(authPaths(loaded.value.config.paths.dataDir).database);
  try {
    const auth = new AuthService(store, { now: () => Date.now() });
    if (action === 'create') {
      const role = option(rest, '--role');
      if (!isRole(role)) {
        process.stderr.write(`jarvis token: --role must be viewer, operator or admin\n${USAGE}`);
        return 2;
      }
      const name = option(rest, '--name') ?? `${role}-token`;
      const created = auth.createToken(role, name);
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(`token id ${created.id} (name ${name}, role ${role}). Store it now: it is not shown again.\nUse it as: Authorization: Bearer <token>\n`);
      return 0;
    }
    if (action === 'revoke') {
      const id = positional(rest);
      if (!id) {
        process.stderr.write(USAGE);
        return 2;
      }
      if (!auth.revokeToken(id)) {
        process.stderr.write(`jarvis token: no token with id ${id} (see \`jarvis token list\`)\n`);
        return 1;
      }
      process.stdout.write(`revoked ${id}\n`);
      return 0;
    }
    if (action === 'list') {
      for (const token of store.listTokens()) {
        const state = token.revokedAt !== undefined ? `revoked ${new Date(token.revokedAt).toISOString()}` : 'active';
        process.stdout.write(`${token.id}  ${token.role.padEnd(8)}  ${token.name}  ${state}\n`);
      }
      return 0;
    }
    process.stderr.write(USAGE);
    return 2;
  } finally {
    store.close();
  }
}
