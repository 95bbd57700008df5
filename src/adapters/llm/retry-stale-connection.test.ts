import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLlamaServerFake, type LlamaServerFake } from '../../sim/llm/index.ts';
import { createLocalModelClient } from './create-model-clients.ts';
import { isConnectionLost, retryStaleConnection } from './retry-stale-connection.ts';

/**
 * A TCP front for the llama fake that plays a server which closed the connection: the first
 * `drops` connections are read until the request's headers end, then destroyed without a byte
 * of response ("other side closed" at the client); later ones are piped to the fake.
 */
async function droppingFront(target: URL, drops: number): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    connections += 1;
    if (connections <= drops) {
      let head = '';
      socket.on('data', (chunk) => {
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n')) socket.destroy();
      });
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function fakeBehind(drops: number): Promise<{ fake: LlamaServerFake; front: Awaited<ReturnType<typeof droppingFront>> }> {
  const fake = await startLlamaServerFake({ slots: 2, ctx: 2048 });
  cleanups.push(() => fake.close());
  const front = await droppingFront(new URL(fake.url), drops);
  cleanups.push(() => front.close());
  return { fake, front };
}

describe('retryStaleConnection (llama-server closes idle keep-alive sockets after 5 s)', () => {
  it('a connection lost before any response fails plain fetch; the wrapper sends once more on a new connection', async () => {
    const { front } = await fakeBehind(1);
    const plain = await fetch(`${front.url}/health`).catch((error: unknown) => error);
    expect(isConnectionLost(plain)).toBe(true);

    const { front: second } = await fakeBehind(1);
    const response = await retryStaleConnection()(`${second.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(second.connections()).toBe(2);
  });

  it('retries only once, never an HTTP answer, and never after the caller aborted', async () => {
    const { front: always } = await fakeBehind(Number.POSITIVE_INFINITY);
    const failure = await retryStaleConnection()(`${always.url}/health`).catch((error: unknown) => error);
    expect(isConnectionLost(failure)).toBe(true);
    expect(always.connections()).toBe(2);

    let calls = 0;
    const answers500: typeof fetch = async () => {
      calls += 1;
      return new Response('{"error":{"message":"boom"}}', { status: 500 });
    };
    expect((await retryStaleConnection(answers500)('http://127.0.0.1:9/x')).status).toBe(500);
    expect(calls).toBe(1);

    const controller = new AbortController();
    let attempts = 0;
    const lostAfterAbort: typeof fetch = async () => {
      attempts += 1;
      controller.abort();
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    };
    await expect(retryStaleConnection(lostAfterAbort)('http://127.0.0.1:9/x', { signal: controller.signal })).rejects.toThrow('fetch failed');
    expect(attempts).toBe(1);
    expect(isConnectionLost(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') }))).toBe(false);
  });

  it('the production local client answers through a dropped connection instead of reporting the server down', async () => {
    const { fake, front } = await fakeBehind(1);
    fake.script.push({ text: 'VM 104 is running.' });
    const client = createLocalModelClient({ baseUrl: `${front.url}/v1`, model: 'qwen' });
    const result = await client.doComplete({ system: 's', messages: [{ role: 'user', content: 'vm 104?' }], maxOutputTokens: 32 });
    expect(result).toMatchObject({ ok: true, value: { text: 'VM 104 is running.', finishReason: 'stop' } });
    expect(front.connections()).toBe(2);
  });
});
