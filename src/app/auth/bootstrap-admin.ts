import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuthService } from './auth-service.ts';
import { generatePassword } from './secret-token.ts';

export interface BootstrapAdminOptions {
  /** Admin password given by the operator (JARVIS_ADMIN_PASSWORD or JARVIS_ADMIN_PASSWORD_FILE, read by src/config). */
  readonly password?: string | undefined;
  /** Where a generated password is written (mode 0600), e.g. `<dataDir>/admin-password`. */
  readonly passwordFile: string;
  readonly username?: string;
}

export interface BootstrapAdminResult {
  /** Set only when a password was generated on this start: print it ONCE, then forget it. */
  readonly generatedPassword?: string;
  readonly passwordFile?: string;
  readonly username: string;
}

/**
 * Makes sure an admin user exists. A given password always wins (and replaces the stored one).
 * Otherwise: first start (no admin in the store) generates a password, writes it to `passwordFile`
 * with mode 0600 and returns it for printing; later starts reuse the stored hash and change nothing.
 * If the admin is missing but the file exists (store wiped), the file's password is reused.
 */
export async function bootstrapAdmin(auth: AuthService, options: BootstrapAdminOptions): Promise<BootstrapAdminResult> {
  const username = options.username ?? 'admin';
  if (options.password !== undefined && options.password !== '') {
    await auth.setUser(username, 'admin', options.password);
    return { username };
  }
  if (auth.hasUser(username)) return { username };
  if (existsSync(options.passwordFile)) {
    const password = readFileSync(options.passwordFile, 'utf8').trim();
    if (password) {
      await auth.setUser(username, 'admin', password);
      return { username, passwordFile: options.passwordFile };
    }
  }
  const password = generatePassword();
  mkdirSync(dirname(options.passwordFile), { recursive: true, mode: 0o700 });
  writeFileSync(options.passwordFile, `${password}\n`, { mode: 0o600 });
  chmodSync(options.passwordFile, 0o600); // umask or a pre-existing file could leave wider bits
  await auth.setUser(username, 'admin', password);
  return { username, generatedPassword: password, passwordFile: options.passwordFile };
}
