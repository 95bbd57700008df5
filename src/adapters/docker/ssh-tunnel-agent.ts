import { Agent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { HostKeyVerdict } from '../ssh/known-hosts.ts';

export interface SshTunnelTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKey: string | Buffer;
  readonly passphrase?: string | undefined;
  /** Only `match` lets the handshake continue (same pinning as the SSH runner). */
  readonly verifyHostKey: (blob: Buffer) => HostKeyVerdict;
  readonly readyTimeoutMs: number;
  /** Host key algorithms to offer, pinned types first. */
  readonly hostKeyAlgorithms?: readonly string[] | undefined;
}

/**
 * An HTTP agent whose every connection is `docker system dial-stdio` run over a fresh SSH session
 * (what the docker CLI does for `ssh://` hosts), with host keys pinned. Lets dockerode reach a
 * Docker host with no TCP endpoint and no socket mount. The SSH connection closes with the stream.
 */
export class SshTunnelAgent extends Agent {
  constructor(
    private readonly target: SshTunnelTarget,
    options: AgentOptions = {},
  ) {
    super({ keepAlive: false, ...options });
  }

  override createConnection(_options: ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void): Duplex | undefined {
    const client = new ssh2.Client();
    let done = false;
    let verdict: HostKeyVerdict | undefined;
    const fail = (error: Error) => {
      // Tag host-key refusals so mapDockerError reports them as SSH_HOST_KEY_* rather than "unreachable".
      if (verdict === 'unknown' || verdict === 'mismatch') Object.assign(error, { hostKeyVerdict: verdict });
      client.end();
      if (!done && callback) callback(error, undefined as unknown as Duplex);
      done = true;
    };
    client.on('ready', () => {
      client.exec('docker system dial-stdio', (error, stream) => {
        if (error) return fail(error);
        stream.once('close', () => client.end());
        done = true;
        callback?.(null, stream);
      });
    });
    client.on('error', fail);
    client.connect({
      host: this.target.host,
      port: this.target.port,
      username: this.target.username,
      privateKey: this.target.privateKey,
      ...(this.target.passphrase !== undefined ? { passphrase: this.target.passphrase } : {}),
      tryKeyboard: false,
      readyTimeout: this.target.readyTimeoutMs,
      ...(this.target.hostKeyAlgorithms ? { algorithms: { serverHostKey: [...this.target.hostKeyAlgorithms] as ssh2.ServerHostKeyAlgorithm[] } } : {}),
      hostVerifier: (blob: Buffer) => {
        verdict = this.target.verifyHostKey(blob);
        return verdict === 'match';
      },
    });
    return undefined;
  }
}
