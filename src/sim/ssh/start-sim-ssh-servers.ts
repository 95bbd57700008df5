import { connect } from 'node:net';
import type { ServerChannel } from 'ssh2';
import ssh2 from 'ssh2';
import type { SimHostView } from '../host-view.ts';
import { answerCommand } from './answer-command.ts';
import type { SimShellHooks } from './sim-command.ts';
import { startSimSshListener, type SimSshFault, type SimSshListener } from './sim-ssh-listener.ts';
import { generateEd25519KeyPair, knownHostsLine, publicKeyBlob, sha256Fingerprint, type SshKeyPair } from './sim-ssh-keys.ts';

export type { SimSshFault } from './sim-ssh-listener.ts';

export interface SimSshHostKey {
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  readonly publicKey: string;
  /** `[127.0.0.1]:PORT ssh-ed25519 AAAA...` */
  readonly knownHostsLine: string;
}

export interface SimExecRequest {
  /** Node name, or Docker host name for the Docker hosts' SSH endpoints. */
  readonly node: string;
  /** The exec string exactly as the client sent it. */
  readonly command: string;
}

export interface SimSshServers {
  readonly host: string;
  readonly username: string;
  /** Per cluster node. */
  readonly ports: Readonly<Record<string, number>>;
  /** Per Docker host (only when `dockerEndpoints` was given): sshd of the Docker VM, for `ssh://` Docker access. */
  readonly dockerPorts: Readonly<Record<string, number>>;
  /** Per node and per Docker host. */
  readonly hostKeys: Readonly<Record<string, SimSshHostKey>>;
  /** known_hosts text pinning every endpoint's host key. */
  readonly knownHosts: string;
  /** The key pair the servers accept (private key for the client, OpenSSH PEM). */
  readonly clientKey: SshKeyPair;
  /** The most recent exec requests (bounded), newest last. */
  readonly execRequests: readonly SimExecRequest[];
  /** Sets a fault by hand; `none` clears it (falling back to `faultOf`). */
  setFault(nodeOrDockerHost: string, fault: SimSshFault): void;
  /** TCP connections currently open across all endpoints (lets tests check that clients hang up). */
  openConnections(): number;
  close(): Promise<void>;
}

export interface SimSshOptions {
  readonly host?: string;
  readonly username?: string;
  /** Accept this client public key (`ssh-ed25519 AAAA...`) instead of generating one. */
  readonly clientPublicKey?: string;
  /** Docker host -> its simulated Engine URL (`tcp://127.0.0.1:PORT`, from startSimDockerApi): adds an sshd per Docker host answering `docker system dial-stdio`. */
  readonly dockerEndpoints?: Readonly<Record<string, string>>;
  /** Effects of remediation commands on the world (e.g. `serviceRestartHooks(world)`); without them restarts change nothing. */
  readonly hooks?: SimShellHooks;
  /** Fault source consulted per connection/exec (e.g. the world's fault list); `setFault` overrides it. */
  readonly faultOf?: (nodeOrDockerHost: string) => SimSshFault;
}

const EXEC_LOG_LIMIT = 200;
const DIAL_STDIO = 'docker system dial-stdio';

/**
 * Starts one SSH server (ssh2, server mode) per simulated node on `host` (default 127.0.0.1) and a
 * random port, each with its own freshly generated ed25519 host key. Public-key auth only, for one
 * client key; exec requests are answered from the view by `answerCommand` and nothing is executed.
 * A node the view reports unreachable has its connections closed at once.
 */
export async function startSimSshServers(view: SimHostView, options: SimSshOptions = {}): Promise<SimSshServers> {
  const host = options.host ?? '127.0.0.1';
  const username = options.username ?? 'root';
  const clientKey = options.clientPublicKey !== undefined ? { privateKey: '', publicKey: options.clientPublicKey } : generateEd25519KeyPair('jarvis@sim');
  const allowedKey = ssh2.utils.parseKey(clientKey.publicKey);
  if (allowedKey instanceof Error) throw allowedKey;
  const ports: Record<string, number> = {};
  const dockerPorts: Record<string, number> = {};
  const hostKeys: Record<string, SimSshHostKey> = {};
  const faults = new Map<string, SimSshFault>();
  const execRequests: SimExecRequest[] = [];
  const listeners: SimSshListener[] = [];

  const faultOf = (name: string): SimSshFault => faults.get(name) ?? options.faultOf?.(name) ?? 'none';
  const open = async (name: string, reachable: () => boolean, onExec: (command: string, channel: ServerChannel) => void) => {
    const hostKey = generateEd25519KeyPair(`root@${name}`);
    const listener = await startSimSshListener({
      bind: host,
      hostPrivateKey: hostKey.privateKey,
      username,
      allowedKey,
      reachable,
      fault: () => faultOf(name),
      onExec: (command, channel) => {
        execRequests.push({ node: name, command });
        if (execRequests.length > EXEC_LOG_LIMIT) execRequests.shift();
        if (faultOf(name) === 'hang-exec') return;
        onExec(command, channel);
      },
    });
    listeners.push(listener);
    hostKeys[name] = {
      fingerprint: sha256Fingerprint(publicKeyBlob(hostKey.publicKey)),
      publicKey: hostKey.publicKey,
      knownHostsLine: knownHostsLine(host, listener.port, hostKey.publicKey),
    };
    return listener.port;
  };

  try {
    for (const node of view.nodeNames()) {
      ports[node] = await open(
        node,
        () => view.isNodeReachable(node),
        (command, channel) => {
          void answerCommand(view, node, command, options.hooks)
            .catch((error: unknown) => ({ stdout: '', stderr: `simulator error: ${error instanceof Error ? error.message : String(error)}\n`, exitCode: 70 }))
            .then((result) => {
              if (result.stdout) channel.write(result.stdout);
              if (result.stderr) channel.stderr.write(result.stderr);
              channel.exit(result.exitCode);
              channel.end();
            });
        },
      );
    }
    for (const [dockerHost, url] of Object.entries(options.dockerEndpoints ?? {})) {
      dockerPorts[dockerHost] = await open(
        dockerHost,
        () => true,
        (command, channel) => dialStdio(command, channel, url),
      );
    }
  } catch (error) {
    await Promise.all(listeners.map((listener) => listener.close()));
    throw error;
  }

  return {
    host,
    username,
    ports,
    dockerPorts,
    hostKeys,
    knownHosts: Object.values(hostKeys)
      .map((key) => `${key.knownHostsLine}\n`)
      .join(''),
    clientKey,
    execRequests,
    setFault: (name, fault) => void (fault === 'none' ? faults.delete(name) : faults.set(name, fault)),
    openConnections: () => listeners.reduce((sum, listener) => sum + listener.openConnections(), 0),
    async close() {
      await Promise.all(listeners.map((listener) => listener.close()));
    },
  };
}

/** `docker system dial-stdio`: splices the channel to the simulated Engine endpoint; anything else is not a command here. */
function dialStdio(command: string, channel: ServerChannel, url: string): void {
  if (command.trim() !== DIAL_STDIO) {
    channel.stderr.write(`bash: ${command.split(' ')[0]}: command not found\n`);
    channel.exit(127);
    return void channel.end();
  }
  const { hostname, port } = new URL(url.replace(/^tcp:/, 'http:'));
  const upstream = connect(Number(port), hostname);
  upstream.on('error', () => {
    channel.stderr.write('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n');
    channel.exit(1);
    channel.end();
  });
  channel.pipe(upstream);
  upstream.pipe(channel);
  channel.on('close', () => upstream.destroy());
}
