import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';

/**
 * Reads and checks an SSH private key file (path from config/env; the key itself never lives in
 * YAML). CONFIG_INVALID when unreadable, not a key, or encrypted without the right passphrase.
 */
export async function loadPrivateKeyFile(path: string, passphrase?: string): Promise<Result<Buffer, JarvisError>> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (error) {
    return err(
      jarvisError('CONFIG_INVALID', `cannot read the SSH private key file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
        hint: 'set ssh.keyFile (or JARVIS_SSH_KEY_FILE) to a readable key file',
        cause: error,
      }),
    );
  }
  const parsed = ssh2.utils.parseKey(text, passphrase);
  if (parsed instanceof Error) {
    return err(
      jarvisError('CONFIG_INVALID', 'the SSH private key file holds no usable private key (or the passphrase is wrong)', {
        hint: 'use an unencrypted ed25519 key or set ssh.passphraseFile',
        cause: parsed,
      }),
    );
  }
  return ok(text);
}
