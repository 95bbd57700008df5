import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import { SshShellRunner } from '../../src/adapters/ssh/index.ts';
import { renderCommand } from '../../src/core/safety/command-catalogue.ts';
import { generateEd25519KeyPair, knownHostsLine } from '../../src/sim/ssh/sim-ssh-keys.ts';

/** An sshd with two host keys (ed25519 and ECDSA), as real nodes have; accepts one client key. */
const ed25519 = generateEd25519KeyPair();
const ecdsa = ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 });
const otherEcdsa = ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 });
const client = generateEd25519KeyPair();
let server: ssh2.Server;
let port = 0;

beforeAll(async () => {
  server = new ssh2.Server({ hostKeys: [ed25519.privateKey, ecdsa.private] }, (connection) => {
    connection.on('error', () => undefined);
    connection.on('authentication', (context) => (context.method === 'publickey' ? context.accept() : context.reject(['publickey'])));
    connection.on('ready', () =>
      connection.on('session', (accept) =>
        accept().on('exec', (acceptExec) => {
          const channel = acceptExec();
          channel.write(' 10:00:00 up 1 day\n');
          channel.exit(0);
          channel.end();
        }),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function run(knownHosts: string) {
  const command = renderCommand({ id: 'uptime' }, { now: 0 });
  if (!command.ok) throw new Error(command.error.message);
  return new SshShellRunner({ nodes: { pve: { host: '127.0.0.1', port } }, privateKey: client.privateKey, knownHosts, timeoutMs: 5000 }).run(
    'pve',
    command.value,
  );
}

describe('host key algorithm negotiation follows the pins (as OpenSSH does)', () => {
  it('a node pinned only by its ECDSA key is accepted (ECDSA is negotiated, not ed25519)', async () => {
    expect(await run(`${knownHostsLine('127.0.0.1', port, ecdsa.public)}\n`)).toMatchObject({ ok: true, value: { exitCode: 0 } });
  });

  it('a node pinned by its ed25519 key is accepted', async () => {
    expect(await run(`${knownHostsLine('127.0.0.1', port, ed25519.publicKey)}\n`)).toMatchObject({ ok: true });
  });

  it('a different ECDSA key pinned for the node is still a mismatch', async () => {
    expect(await run(`${knownHostsLine('127.0.0.1', port, otherEcdsa.public)}\n`)).toMatchObject({ ok: false, error: { code: 'SSH_HOST_KEY_MISMATCH' } });
  });
});
