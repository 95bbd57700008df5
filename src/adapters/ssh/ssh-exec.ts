import ssh2 from 'ssh2';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { HostKeyVerdict } from './known-hosts.ts';
import { keyTypeOfBlob, knownHostsName, sha256Fingerprint } from './known-hosts.ts';

/** Where and as whom to connect, and how to judge the server's host key. */
export interface SshTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKey: string | Buffer;
  readonly passphrase?: string | undefined;
  /** Judges the raw host key blob; only `match` lets the handshake continue. */
  readonly verifyHostKey: (blob: Buffer) => HostKeyVerdict;
  /** Host key algorithms to offer, pinned types first (see hostKeyAlgorithmsFor); default ssh2's list. */
  readonly hostKeyAlgorithms?: readonly string[] | undefined;
}

export interface ExecLimits {
  /** Deadline for connect + auth + command, ms. */
  readonly timeoutMs: number;
  readonly maxStdoutBytes: number;
  readonly maxStderrBytes: number;
  readonly signal?: AbortSignal | undefined;
}

export interface ExecOutput {
  /** Remote exit code; -1 when the command ended by a signal or without an exit status. */
  readonly exitCode: number;
  readonly signal?: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
}

/**
 * Runs one already-quoted command line over a fresh ssh2 connection (key auth only, host key checked
 * by `target.verifyHostKey`). Bytes beyond the caps are read and discarded. At the deadline the
 * channel and the connection are closed and SSH_TIMEOUT returned. Never throws.
 */
export function sshExec(target: SshTarget, commandLine: string, limits: ExecLimits): Promise<Result<ExecOutput, JarvisError>> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    const where = `${target.host}:${target.port}`;
    const stdout = new CappedBuffer(limits.maxStdoutBytes);
    const stderr = new CappedBuffer(limits.maxStderrBytes);
    let hostKey: { verdict: HostKeyVerdict; fingerprint: string; knownHostsLine: string } | undefined;
    let channel: ssh2.ClientChannel | undefined;
    let exit: { code: number; signal?: string } | undefined;
    let settled = false;

    const finish = (result: Result<ExecOutput, JarvisError>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      channel?.close();
      client.end();
      client.destroy();
      resolve(result);
    };
    const onAbort = () => finish(err(jarvisError('SSH_TIMEOUT', `ssh ${where}: aborted by the caller`, { retryable: false })));
    // A host that never completes the TCP handshake is unreachable (down, firewalled, wrong address);
    // one that accepted the connection and then stalls is hung: SSH_TIMEOUT.
    let tcpConnected = false;
    client.on('connect', () => (tcpConnected = true));
    const timer = setTimeout(
      () =>
        finish(
          tcpConnected
            ? err(
                jarvisError('SSH_TIMEOUT', `ssh ${where}: no answer within ${limits.timeoutMs} ms`, {
                  hint: 'check the node, or raise ssh.timeoutMs',
                  details: { timeoutMs: limits.timeoutMs },
                }),
              )
            : err(
                jarvisError('SSH_UNREACHABLE', `ssh ${where}: no TCP connection within ${limits.timeoutMs} ms`, {
                  hint: 'check that the node is up and the address/port in the config',
                  details: { timeoutMs: limits.timeoutMs },
                }),
              ),
        ),
      limits.timeoutMs,
    );
    if (limits.signal?.aborted) return onAbort();
    limits.signal?.addEventListener('abort', onAbort, { once: true });

    client.on('ready', () => {
      client.exec(commandLine, (error, stream) => {
        if (error) return finish(err(jarvisError('SSH_COMMAND_FAILED', `ssh ${where}: exec refused: ${error.message}`, { cause: error })));
        channel = stream;
        stream.on('data', (chunk: Buffer) => stdout.push(chunk));
        stream.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        stream.on('exit', (code: number | null, signal?: string) => {
          exit = code === null || code === undefined ? { code: -1, ...(signal ? { signal } : {}) } : { code };
        });
        stream.on('close', () =>
          finish(
            ok({
              exitCode: exit?.code ?? -1,
              ...(exit?.signal ? { signal: exit.signal } : {}),
              stdout: stdout.text(),
              stderr: stderr.text(),
              truncated: stdout.truncated || stderr.truncated,
            }),
          ),
        );
      });
    });
    client.on('error', (error: Error & { level?: string }) => finish(err(mapConnectError(error, where, hostKey))));
    client.on('close', () => finish(err(jarvisError('SSH_UNREACHABLE', `ssh ${where}: connection closed before the command finished`))));
    try {
      client.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey: target.privateKey,
        ...(target.passphrase !== undefined ? { passphrase: target.passphrase } : {}),
        tryKeyboard: false,
        agent: undefined,
        ...(target.hostKeyAlgorithms ? { algorithms: { serverHostKey: [...target.hostKeyAlgorithms] as ssh2.ServerHostKeyAlgorithm[] } } : {}),
        // Our own deadline (above) decides; ssh2's handshake timer is only a backstop.
        readyTimeout: limits.timeoutMs + 1000,
        hostVerifier: (blob: Buffer) => {
          const verdict = target.verifyHostKey(blob);
          hostKey = {
            verdict,
            fingerprint: sha256Fingerprint(blob),
            knownHostsLine: `${knownHostsName(target.host, target.port)} ${keyTypeOfBlob(blob)} ${blob.toString('base64')}`,
          };
          return verdict === 'match';
        },
      });
    } catch (error) {
      finish(
        err(
          jarvisError('SSH_AUTH', `ssh ${where}: unusable private key`, {
            retryable: false,
            hint: 'check ssh.keyFile (an unencrypted OpenSSH or PEM private key)',
            cause: error,
          }),
        ),
      );
    }
  });
}

function mapConnectError(
  error: Error & { level?: string },
  where: string,
  hostKey: { verdict: HostKeyVerdict; fingerprint: string; knownHostsLine: string } | undefined,
): JarvisError {
  if (hostKey?.verdict === 'unknown') {
    return jarvisError('SSH_HOST_KEY_UNKNOWN', `ssh ${where}: host key ${hostKey.fingerprint} is not pinned`, {
      hint: 'verify the fingerprint on the node (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then add details.knownHostsLine to ssh.knownHostsFile',
      details: { fingerprint: hostKey.fingerprint, knownHostsLine: hostKey.knownHostsLine },
    });
  }
  if (hostKey?.verdict === 'mismatch') {
    return jarvisError('SSH_HOST_KEY_MISMATCH', `ssh ${where}: host key changed (now ${hostKey.fingerprint}); refusing to connect`, {
      hint: 'if the node was reinstalled, verify the new key and update ssh.knownHostsFile; otherwise suspect interception',
      details: { fingerprint: hostKey.fingerprint, knownHostsLine: hostKey.knownHostsLine },
    });
  }
  if (error.level === 'client-authentication') {
    return jarvisError('SSH_AUTH', `ssh ${where}: public key refused`, { hint: "add Jarvis's public key to the node's authorized_keys", cause: error });
  }
  if (error.level === 'client-timeout') return jarvisError('SSH_TIMEOUT', `ssh ${where}: handshake timed out`, { cause: error });
  return jarvisError('SSH_UNREACHABLE', `ssh ${where}: ${error.message.split('\n')[0]}`, {
    hint: 'check that the node is up and sshd listens on the configured port',
    cause: error,
  });
}

/** Keeps at most `cap` bytes; later bytes are counted as dropped. */
class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  push(chunk: Buffer): void {
    const room = this.cap - this.size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }
  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    // A cut in the middle of a multi-byte character leaves U+FFFD at the end: drop it.
    return this.truncated ? text.replace(/\uFFFD+$/, '') : text;
  }
}
