import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import { startSimSshServers, type SimSshServers } from '../../src/sim/ssh/index.ts';
import { FakeHostView } from './fake-host-view.ts';

const view = new FakeHostView();
let sim: SimSshServers;
beforeAll(async () => {
  sim = await startSimSshServers(view);
});
afterAll(async () => {
  await sim.close();
});

/** Connects a raw ssh2 client; resolves with it when ready or rejects with the connection error. */
function connect(config: Partial<ssh2.ConnectConfig> = {}): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('ready', () => resolve(client)).on('error', reject);
    client.connect({ host: '127.0.0.1', port: sim.ports.agent1!, username: 'root', privateKey: sim.clientKey.privateKey, readyTimeout: 5000, ...config });
  });
}

describe('simulated sshd surface', () => {
  it('accepts only the configured user with the configured key', async () => {
    await expect(connect({ username: 'admin' })).rejects.toMatchObject({ level: 'client-authentication' });
    await expect(connect({ privateKey: undefined, password: 'root' })).rejects.toMatchObject({ level: 'client-authentication' });
  });

  it('offers no shell, no sftp and no port forwarding: exec only', async () => {
    const client = await connect();
    try {
      await expect(new Promise((resolve, reject) => client.shell((error, stream) => (error ? reject(error) : resolve(stream))))).rejects.toBeInstanceOf(Error);
      await expect(new Promise((resolve, reject) => client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))))).rejects.toBeInstanceOf(Error);
      await expect(
        new Promise((resolve, reject) => client.forwardOut('127.0.0.1', 0, '127.0.0.1', 22, (error, stream) => (error ? reject(error) : resolve(stream)))),
      ).rejects.toBeInstanceOf(Error);
      const output = await new Promise<string>((resolve, reject) =>
        client.exec("'uptime'", (error, stream) => {
          if (error) return reject(error);
          let text = '';
          stream.on('data', (chunk: Buffer) => (text += chunk.toString())).on('close', () => resolve(text));
        }),
      );
      expect(output).toContain('load average');
    } finally {
      client.end();
    }
  });
});
