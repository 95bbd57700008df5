import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { SimHostView } from '../host-view.ts';
import { answerCommand } from './answer-command.ts';
import { generateEd25519KeyPair, knownHostsLine, publicKeyBlob, sha256Fingerprint, type SshKeyPair } from './sim-ssh-keys.ts';

/** Fault modes of one node's SSH server: `hang-connect` accepts TCP and never speaks; `hang-exec` never answers a command. */
export type SimSshFault = 'none' | 'hang-connect' | 'hang-exec';

export interface SimSshHostKey {
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  readonly publicKey: string;
  /** `[127.0.0.1]:PORT ssh-ed25519 AAAA...` */
  readonly knownHostsLine: string;
}

export interface SimExecRequest {
  readonly node: string;
  /** The exec string exactly as the client sent it. */
  readonly command: string;
}

export interface SimSshServers {
  readonly host: string;
  readonly username: string;
  readonly ports: Readonly<Record<string, number>>;
  readonly hostKeys: Readonly<Record<string, SimSshHostKey>>;
  /** known_hosts text pinning every node's host key. */
  readonly knownHosts: string;
  /** The key pair the servers accept (private key for the client, OpenSSH PEM). */
  readonly clientKey: SshKeyPair;
  /** The most recent exec requests (bounded), newest last. */
  readonly execRequests: readonly SimExecRequest[];
  setFault(node: string, fault: SimSshFault): void;
  /** TCP connections currently open across all nodes (lets tests check that clients hang up). */
  openConnections(): number;
  close(): Promise<void>;
}

export interface SimSshOptions {
  readonly host?: string;
  readonly username?: string;
  /** Accept this client public key (`ssh-ed25519 AAAA...`) instead of generating one. */
  readonly clientPublicKey?: string;
}

const EXEC_LOG_LIMIT = 200;

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
  const allowed = ssh2.utils.parseKey(clientKey.publicKey);
  if (allowed instanceof Error) throw allowed;
  const ports: Record<string, number> = {};
  const hostKeys: Record<string, SimSshHostKey> = {};
  const faults = new Map<string, SimSshFault>();
  const execRequests: SimExecRequest[] = [];
  const sockets = new Set<Socket>();
  const listeners: NetServer[] = [];

  for (const node of view.nodeNames()) {
    const hostKey = generateEd25519KeyPair(`root@${node}`);
    const ssh = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (client) => {
      client.on('error', () => undefined);
      client.on('authentication', (context) => {
        if (context.method !== 'publickey' || context.username !== username) return context.reject(['publickey']);
        const { key, signature, blob, hashAlgo } = context;
        if (key.algo !== allowed.type || !key.data.equals(allowed.getPublicSSH())) return context.reject(['publickey']);
        if (!signature || !blob) return context.accept();
        return allowed.verify(blob, signature, hashAlgo) === true ? context.accept() : context.reject(['publickey']);
      });
      client.on('ready', () => {
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('exec', (accept, _reject, info) => {
            const stream = accept();
            execRequests.push({ node, command: info.command });
            if (execRequests.length > EXEC_LOG_LIMIT) execRequests.shift();
            if (faults.get(node) === 'hang-exec') return;
            const result = answerCommand(view, node, info.command);
            if (result.stdout) stream.write(result.stdout);
            if (result.stderr) stream.stderr.write(result.stderr);
            stream.exit(result.exitCode);
            stream.end();
          });
        });
      });
    });
    const listener = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      if (!view.isNodeReachable(node)) return void socket.destroy();
      if (faults.get(node) === 'hang-connect') return;
      ssh.injectSocket(socket);
    });
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(0, host, () => resolve());
    });
    listeners.push(listener);
    const address = listener.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    ports[node] = port;
    hostKeys[node] = {
      fingerprint: sha256Fingerprint(publicKeyBlob(hostKey.publicKey)),
      publicKey: hostKey.publicKey,
      knownHostsLine: knownHostsLine(host, port, hostKey.publicKey),
    };
  }

  return {
    host,
    username,
    ports,
    hostKeys,
    knownHosts: Object.values(hostKeys).map((key) => `${key.knownHostsLine}\n`).join(''),
    clientKey,
    execRequests,
    setFault: (node, fault) => void faults.set(node, fault),
    openConnections: () => sockets.size,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(listeners.map((listener) => new Promise<void>((resolve) => listener.close(() => resolve()))));
    },
  };
}
