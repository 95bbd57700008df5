import { readFile } from 'node:fs/promises';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import { loadPrivateKeyFile } from './load-private-key.ts';
import { SshShellRunner } from './ssh-shell-runner.ts';

/** The config values the runner needs (config sections `ssh`, `topology.nodes`, `timeouts.sshMs`). */
export interface SshRunnerFileConfig {
  readonly nodes: readonly { readonly name: string; readonly address?: string | undefined }[];
  readonly user: string;
  readonly port: number;
  readonly keyFile?: string | undefined;
  readonly knownHostsFile?: string | undefined;
  readonly timeoutMs: number;
  readonly maxOutputBytes?: number | undefined;
}

/**
 * Builds the SshShellRunner from config at start-up: reads the private key file and the known_hosts
 * file. CONFIG_INVALID when no key file is set or it is unusable. A missing known_hosts file pins
 * nothing (every host is then SSH_HOST_KEY_UNKNOWN, whose details carry the line to add). Nodes
 * without an address are left out (running on them gives INVALID_INPUT).
 */
export async function loadSshShellRunner(config: SshRunnerFileConfig): Promise<Result<SshShellRunner, JarvisError>> {
  if (!config.keyFile) {
    return err(
      jarvisError('CONFIG_INVALID', 'no SSH private key configured: node diagnostics are disabled', {
        hint: 'set ssh.keyFile (or JARVIS_SSH_KEY_FILE) to an ed25519 private key whose public key is in the nodes\u2019 authorized_keys',
      }),
    );
  }
  const key = await loadPrivateKeyFile(config.keyFile);
  if (!key.ok) return key;
  let knownHosts = '';
  if (config.knownHostsFile) {
    try {
      knownHosts = await readFile(config.knownHostsFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        return err(
          jarvisError('CONFIG_INVALID', `cannot read ssh.knownHostsFile (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
            hint: 'check the path and its permissions',
            cause: error,
          }),
        );
      }
    }
  }
  const nodes = Object.fromEntries(config.nodes.filter((node) => node.address).map((node) => [node.name, { host: node.address!, port: config.port }]));
  return ok(
    new SshShellRunner({ nodes, privateKey: key.value, knownHosts, username: config.user, timeoutMs: config.timeoutMs, maxOutputBytes: config.maxOutputBytes }),
  );
}
