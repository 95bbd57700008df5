/** SSH adapter: ShellRunner over ssh2 with pinned host keys, for catalogue commands only. */
export { SshShellRunner, SSH_DEFAULT_MAX_OUTPUT_BYTES, SSH_DEFAULT_TIMEOUT_MS } from './ssh-shell-runner.ts';
export type { SshNodeTarget, SshShellRunnerOptions } from './ssh-shell-runner.ts';
export { loadPrivateKeyFile } from './load-private-key.ts';
export { checkKnownHost, knownHostsName, parseKnownHosts, sha256Fingerprint } from './known-hosts.ts';
export type { HostKeyVerdict, KnownHostEntry } from './known-hosts.ts';
export { loadSshShellRunner } from './load-ssh-shell-runner.ts';
export type { SshRunnerFileConfig } from './load-ssh-shell-runner.ts';
