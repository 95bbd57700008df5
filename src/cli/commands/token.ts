/**
 * `jarvis token create --role viewer|operator|admin [--name N]` prints a new API token (bearer, for
 * MCP and CLI clients) once; only its SHA-256 is stored. `jarvis token revoke ID` revokes one;
 * `jarvis token list` shows ids, names, roles and state (never secrets). Works on the same
 * database as the running server (<dataDir>/auth.db), so changes apply at once.
 */
import { AuthService } from '../../app/auth/auth-service.ts';
import { isRole } from '../../app/auth/roles.ts';
import { loadCommandConfig, parseCommandArgs } from '../compose/command-args.ts';
import { openAuthStore } from '../compose/jarvis-parts.ts';

const USAGE =
  'usage: jarvis token create --role viewer|operator|admin [--name NAME] | jarvis token revoke ID | jarvis token list [--data-dir DIR] [--config FILE]\n';

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs('token', args);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  const [action, id] = parsed.value.positionals;
  if (action !== 'create' && action !== 'revoke' && action !== 'list') {
    process.stderr.write(USAGE);
    return 2;
  }
  const loaded = loadCommandConfig(parsed.value);
  if (!loaded) return 2;
  const opened = openAuthStore(loaded.config);
  if (!opened.ok) {
    process.stderr.write(`jarvis token: ${opened.error.message}\n`);
    return 1;
  }
  const store = opened.value;
  try {
    const auth = new AuthService(store, { now: () => Date.now() });
    if (action === 'create') {
      const role = parsed.value.string('role');
      if (!isRole(role)) {
        process.stderr.write(`jarvis token: --role must be viewer, operator or admin\n${USAGE}`);
        return 2;
      }
      const name = parsed.value.string('name') ?? `${role}-token`;
      const created = auth.createToken(role, name);
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(
        `token id ${created.id} (name ${name}, role ${role}). Store it now: it is not shown again.\nUse it as: Authorization: Bearer <token>\n`,
      );
      return 0;
    }
    if (action === 'revoke') {
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
