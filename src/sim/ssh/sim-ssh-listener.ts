import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { ParsedKey, ServerChannel } from 'ssh2';

/** Fault modes of one SSH endpoint: `hang-connect` accepts TCP and never speaks; `hang-exec` never answers a command. */
export type SimSshFault = 'none' | 'hang-connect' | 'hang-exec';

export interface SimSshListenerOptions {
  readonly bind: string;
  readonly hostPrivateKey: string;
  readonly username: string;
  readonly allowedKey: ParsedKey;
  /** Checked on every new TCP connection: false closes it at once (node offline). */
  readonly reachable: () => boolean;
  readonly fault: () => SimSshFault;
  /** Handles one exec request on an accepted channel; must end the channel (unless simulating a hang). */
  readonly onExec: (command: string, channel: ServerChannel) => void;
}

export interface SimSshListener {
  readonly port: number;
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * One simulated sshd on `bind` and a random port: public-key auth for one user and key, exec
 * requests only (no shell, pty, sftp or forwarding); reachability and `hang-connect` are checked per
 * connection (`hang-exec` is the exec handler's business).
 */
export async function startSimSshListener(options: SimSshListenerOptions): Promise<SimSshListener> {
  const { allowedKey } = options;
  const sockets = new Set<Socket>();
  const ssh = new ssh2.Server({ hostKeys: [options.hostPrivateKey] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (context) => {
      if (context.method !== 'publickey' || context.username !== options.username) return context.reject(['publickey']);
      const { key, signature, blob, hashAlgo } = context;
      if (key.algo !== allowedKey.type || !key.data.equals(allowedKey.getPublicSSH())) return context.reject(['publickey']);
      if (!signature || !blob) return context.accept();
      return allowedKey.verify(blob, signature, hashAlgo) === true ? context.accept() : context.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          options.onExec(info.command, accept());
        });
      });
    });
  });
  const listener: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (!options.reachable()) return void socket.destroy();
    if (options.fault() === 'hang-connect') return;
    ssh.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, options.bind, () => resolve());
  });
  const address = listener.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    openConnections: () => sockets.size,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
