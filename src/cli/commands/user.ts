/**
 * `jarvis user add NAME --role viewer|operator|admin`, `jarvis user passwd NAME`,
 * `jarvis user remove NAME`, `jarvis user list`. The password is read from the first line of
 * stdin (never from the command line, where `ps` and shell history would keep it); at least 8
 * characters. A password change or removal ends every session of that user. Works on the same
 * database as the running server (<dataDir>/auth.db), so changes apply at once.
 */
import { AuthService } from '../../app/auth/auth-service.ts';
import { isRole } from '../../app/auth/roles.ts';
import { PasswordSchema, UserNameSchema } from '../../protocol/index.ts';
import { loadCommandConfig, parseCommandArgs } from '../compose/command-args.ts';
import { openAuthStore } from '../compose/jarvis-parts.ts';

const USAGE =
  'usage: jarvis user add NAME --role viewer|operator|admin | jarvis user passwd NAME | jarvis user remove NAME | jarvis user list [--data-dir DIR] [--config FILE]\n' +
  '(add and passwd read the password from the first line of stdin)\n';

/** First line of stdin (the password); stdin is read to its end. */
export async function readFirstLine(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

export async function run(args: string[], input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const parsed = parseCommandArgs('user', args);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n`);
    return 2;
  }
  const [action, name] = parsed.value.positionals;
  if (!action || !['add', 'passwd', 'remove', 'list'].includes(action)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const loaded = loadCommandConfig(parsed.value);
  if (!loaded) return 2;
  const opened = openAuthStore(loaded.config);
  if (!opened.ok) {
    process.stderr.write(`jarvis user: ${opened.error.message}\n`);
    return 1;
  }
  const store = opened.value;
  try {
    const auth = new AuthService(store, { now: () => Date.now() });
    if (action === 'list') {
      const sessions = auth.listSessions();
      for (const user of auth.listUsers()) {
        const count = sessions.filter((session) => session.user === user.name).length;
        process.stdout.write(`${user.name}\t${user.role}\tcreated ${new Date(user.createdAt).toISOString()}\t${count} session${count === 1 ? '' : 's'}\n`);
      }
      return 0;
    }
    const parsedName = UserNameSchema.safeParse(name);
    if (!parsedName.success) {
      process.stderr.write(`jarvis user: NAME must be letters, digits, . _ - (max 64)\n${USAGE}`);
      return 2;
    }
    if (action === 'remove') {
      if (!auth.removeUser(parsedName.data)) {
        process.stderr.write(`jarvis user: no user ${parsedName.data}\n`);
        return 1;
      }
      process.stderr.write(`user ${parsedName.data} removed; its sessions are ended\n`);
      return 0;
    }
    const role = parsed.value.string('role');
    if (action === 'add' && !isRole(role)) {
      process.stderr.write(`jarvis user: --role must be viewer, operator or admin\n${USAGE}`);
      return 2;
    }
    if (action === 'add' && auth.hasUser(parsedName.data)) {
      process.stderr.write(`jarvis user: ${parsedName.data} already exists (use jarvis user passwd)\n`);
      return 1;
    }
    if (action === 'passwd' && !auth.hasUser(parsedName.data)) {
      process.stderr.write(`jarvis user: no user ${parsedName.data}\n`);
      return 1;
    }
    const password = PasswordSchema.safeParse(await readFirstLine(input));
    if (!password.success) {
      process.stderr.write('jarvis user: the password (first line of stdin) must have 8 to 1000 characters\n');
      return 2;
    }
    if (action === 'add' && isRole(role)) {
      await auth.setUser(parsedName.data, role, password.data);
      process.stderr.write(`user ${parsedName.data} added (role ${role})\n`);
      return 0;
    }
    await auth.changePassword(parsedName.data, password.data);
    process.stderr.write(`password of ${parsedName.data} changed; its sessions are ended\n`);
    return 0;
  } finally {
    store.close();
  }
}
