/** The chat socket handler over a real WebSocket: bad frames, viewers, one turn at a time, stop. */
import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { createChatSocketHandler } from '../../src/app/ws/chat-socket.ts';
import type { ChatAgent } from '../../src/app/agent/chat-agent.ts';
import type { Principal } from '../../src/app/auth/roles.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { ok } from '../../src/core/errors.ts';
import { connect, until } from '../http/ws-client.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(role: Principal['role'], send: Pick<ChatAgent, 'send'>['send'], maxSockets?: number): Promise<string> {
  app = Fastify();
  await app.register(websocket);
  const handler = createChatSocketHandler({
    chat: { send },
    clock: { now: () => 1 },
    logger: silentLogger,
    ...(maxSockets !== undefined ? { maxSockets } : {}),
  });
  app.get('/ws', { websocket: true }, (socket) => handler(socket, { kind: 'user', name: 'alice', role, credentialId: 's' }, () => true));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return address.replace('http', 'ws');
}

const answer = (text: string) => ({
  conversationId: 'c1',
  messageId: 'm1',
  text,
  origin: { kind: 'offline' as const, model: 'offline', label: 'offline mode' },
  category: 'routine',
  usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 },
  latencyMs: 0,
  steps: 0,
  stoppedBy: 'offline' as const,
  toolCalls: [],
  personaVersion: 'p',
  tools: [],
  reply: text,
  mode: 'offline' as const,
});

describe('chat socket', () => {
  it('answers a bad frame with chat-error and keeps the socket', async () => {
    const url = await serve('operator', async () => ok(answer('hi')));
    const client = await connect(`${url}/ws`, {});
    client.socket.send('not json');
    client.socket.send(JSON.stringify({ type: 'chat-send', requestId: 'r1', message: 'hello' }));
    await until(() => client.frames.length >= 2, 'frames');
    expect(client.frames[0]).toMatchObject({ type: 'chat-error', seq: 1, payload: { code: 'INVALID_INPUT' } });
    expect(client.frames[1]).toMatchObject({ type: 'chat-turn-end', seq: 2, payload: { requestId: 'r1', answer: { text: 'hi' } } });
    expect(client.frames[1]!.payload).not.toHaveProperty('answer.reply');
    client.socket.close();
  });

  it('refuses a chat socket past the limit with 1013 "try again later", and takes one again when a socket closes', async () => {
    const url = await serve('operator', async () => ok(answer('hi')), 2);
    const first = await connect(`${url}/ws`, {});
    const second = await connect(`${url}/ws`, {});
    const third = await connect(`${url}/ws`, {});
    expect(await third.close).toMatchObject({ code: 1013, reason: expect.stringMatching(/too many chat sockets \(max 2\)/) });
    first.socket.close();
    await first.close;
    // The server counts the socket free once its own close event ran: retry until it does.
    let fourth: Awaited<ReturnType<typeof connect>> | undefined;
    for (let attempt = 0; attempt < 50 && !fourth; attempt += 1) {
      const candidate = await connect(`${url}/ws`, {});
      const refused = await Promise.race([candidate.close.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200))]);
      if (!refused) fourth = candidate;
    }
    fourth!.socket.send(JSON.stringify({ type: 'chat-send', requestId: 'r1', message: 'hello' }));
    await until(() => fourth!.frames.length >= 1, 'frame');
    expect(fourth!.frames[0]).toMatchObject({ type: 'chat-turn-end' });
    second.socket.close();
    fourth!.socket.close();
  });

  it('refuses viewers', async () => {
    const url = await serve('viewer', async () => ok(answer('never')));
    const client = await connect(`${url}/ws`, {});
    client.socket.send(JSON.stringify({ type: 'chat-send', requestId: 'r1', message: 'reboot vm 101' }));
    await until(() => client.frames.length >= 1, 'frame');
    expect(client.frames[0]).toMatchObject({ type: 'chat-error', payload: { code: 'FORBIDDEN' } });
    client.socket.close();
  });

  it('runs one turn at a time and stops it on chat-stop (the turn sees its signal aborted)', async () => {
    let aborted = false;
    const url = await serve(
      'operator',
      (_request, _principal, options) =>
        new Promise((resolve) => {
          options?.signal?.addEventListener('abort', () => {
            aborted = true;
            resolve(ok({ ...answer('Stopped.'), stoppedBy: 'aborted' as const }));
          });
        }),
    );
    const client = await connect(`${url}/ws`, {});
    client.socket.send(JSON.stringify({ type: 'chat-send', requestId: 'r1', message: 'long one' }));
    client.socket.send(JSON.stringify({ type: 'chat-send', requestId: 'r2', message: 'another' }));
    await until(() => client.frames.length >= 1, 'conflict');
    expect(client.frames[0]).toMatchObject({ type: 'chat-error', payload: { requestId: 'r2', code: 'CONFLICT' } });
    client.socket.send(JSON.stringify({ type: 'chat-stop', requestId: 'r1' }));
    await until(() => client.frames.length >= 2, 'end');
    expect(aborted).toBe(true);
    expect(client.frames[1]).toMatchObject({ type: 'chat-turn-end', payload: { requestId: 'r1', answer: { stoppedBy: 'aborted' } } });
    client.socket.close();
  });
});
