import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { CommandOutput, ShellRunner, ShellRunOptions } from '../../core/ports/shell.ts';
import { isRenderedCommand, toShellLine, type RenderedCommand } from '../../core/safety/command-catalogue.ts';
import { ConcurrencyGate } from './concurrency-gate.ts';
import { checkKnownHost, hostKeyAlgorithmsFor, matchesFingerprint, parseKnownHosts, type HostKeyVerdict, type KnownHostEntry } from './known-hosts.ts';
import { sshExec } from './ssh-exec.ts';

/** How to reach one node over SSH. */
export interface SshNodeTarget {
  readonly host: string;
  /** Default 22. */
  readonly port?: number | undefined;
  /** Default `root` (runner-wide `username` when set). */
  readonly username?: string | undefined;
  /** Pins this node's host key by fingerprint (`SHA256:...`); checked instead of known_hosts. */
  readonly fingerprint?: string | undefined;
}

export interface SshShellRunnerOptions {
  readonly nodes: Readonly<Record<string, SshNodeTarget>>;
  /** OpenSSH/PEM private key text (load it with `loadPrivateKeyFile`; never from YAML). */
  readonly privateKey: string | Buffer;
  readonly passphrase?: string | undefined;
  /** known_hosts text (OpenSSH format, hashed entries allowed). */
  readonly knownHosts?: string | undefined;
  readonly username?: string | undefined;
  /** Per-command deadline (connect + run), default 15 000 ms. */
  readonly timeoutMs?: number | undefined;
  /** Stdout cap, default 64 KiB; stderr is capped at 16 KiB. */
  readonly maxOutputBytes?: number | undefined;
  /** Concurrent sessions per node, default 3; later calls queue (their wait counts against their timeout). */
  readonly maxConcurrentPerNode?: number | undefined;
}

export const SSH_DEFAULT_TIMEOUT_MS = 15_000;
export const SSH_DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
const MAX_STDERR_BYTES = 16 * 1024;

/**
 * ShellRunner over ssh2: one connection per command, key auth only, host keys pinned (known_hosts
 * or per-node fingerprints; unknown -> SSH_HOST_KEY_UNKNOWN, changed -> SSH_HOST_KEY_MISMATCH),
 * argv single-quoted for the remote shell. Accepts only genuine RenderedCommand values.
 */
export class SshShellRunner implements ShellRunner {
  private readonly knownHosts: readonly KnownHostEntry[];
  private readonly gates = new Map<string, ConcurrencyGate>();

  constructor(private readonly options: SshShellRunnerOptions) {
    this.knownHosts = parseKnownHosts(options.knownHosts ?? '');
  }

  run(node: string, command: RenderedCommand, options?: ShellRunOptions): Promise<Result<CommandOutput, JarvisError>> {
    if (isRenderedCommand(command) && command.tier !== 'green') {
      return Promise.resolve(
        err(
          jarvisError('DENIED', `'${command.id}' is a ${command.tier} command: it runs only after the safety kernel allowed it`, {
            hint: 'use execute_remediation',
          }),
        ),
      );
    }
    return this.doRun(node, command, options);
  }

  async doRun(node: string, command: RenderedCommand, options: ShellRunOptions = {}): Promise<Result<CommandOutput, JarvisError>> {
    if (!isRenderedCommand(command)) return err(jarvisError('INVALID_INPUT', 'only commands rendered by the diagnostic catalogue can run'));
    const target = Object.prototype.hasOwnProperty.call(this.options.nodes, node) ? this.options.nodes[node] : undefined;
    if (!target)
      return err(
        jarvisError('INVALID_INPUT', `no SSH target configured for node '${node.slice(0, 64)}'`, { hint: 'add the node under ssh.nodes in the config' }),
      );
    const port = target.port ?? 22;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? SSH_DEFAULT_TIMEOUT_MS;
    const startedAt = Date.now();
    const gate = this.gate(node);
    const waitSignal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    if (!(await gate.acquire(waitSignal))) {
      return err(
        jarvisError('SSH_TIMEOUT', `ssh ${node}: still queued behind other commands after ${timeoutMs} ms`, {
          hint: 'the node is busy or hanging; retry later',
          details: { node, commandId: command.id, timeoutMs },
        }),
      );
    }
    try {
      return await this.execute(node, target, port, command, options, Math.max(1, timeoutMs - (Date.now() - startedAt)));
    } finally {
      gate.release();
    }
  }

  private async execute(
    node: string,
    target: SshNodeTarget,
    port: number,
    command: RenderedCommand,
    options: ShellRunOptions,
    timeoutMs: number,
  ): Promise<Result<CommandOutput, JarvisError>> {
    const result = await sshExec(
      {
        host: target.host,
        port,
        username: target.username ?? this.options.username ?? 'root',
        privateKey: this.options.privateKey,
        passphrase: this.options.passphrase,
        verifyHostKey: (blob) => this.verify(target, port, blob),
        hostKeyAlgorithms: target.fingerprint === undefined ? hostKeyAlgorithmsFor(this.knownHosts, target.host, port) : undefined,
      },
      toShellLine(command),
      {
        timeoutMs,
        maxStdoutBytes: options.maxOutputBytes ?? this.options.maxOutputBytes ?? SSH_DEFAULT_MAX_OUTPUT_BYTES,
        maxStderrBytes: MAX_STDERR_BYTES,
        signal: options.signal,
      },
    );
    if (!result.ok) return err({ ...result.error, details: { ...result.error.details, node, commandId: command.id } });
    return ok({ node, commandId: command.id, ...result.value });
  }

  private gate(node: string): ConcurrencyGate {
    let gate = this.gates.get(node);
    if (!gate) {
      gate = new ConcurrencyGate(Math.max(1, this.options.maxConcurrentPerNode ?? 3));
      this.gates.set(node, gate);
    }
    return gate;
  }

  private verify(target: SshNodeTarget, port: number, blob: Buffer): HostKeyVerdict {
    if (target.fingerprint !== undefined) return matchesFingerprint(blob, target.fingerprint) ? 'match' : 'mismatch';
    return checkKnownHost(this.knownHosts, target.host, port, blob);
  }
}
