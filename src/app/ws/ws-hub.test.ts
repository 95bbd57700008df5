import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/ports/logger.ts';
import type { StateDto } from '../../protocol/index.ts';
import { WsHub } from './ws-hub.ts';

/** Just enough of a `ws` socket to drive the hub's close paths without a network. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closedWith: { code: number; reason: string } | undefined;
  terminated = false;
  send(text: string): void {
    this.sent.push(text);
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
    this.emit('close');
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  ping(): void {}
}

const principal = { kind: 'user', name: 'viewer', role: 'viewer', credentialId: 'c' } as const;
const state = { seq: 0 } as unknown as StateDto;

function hub(options = {}) {
  let resolveState: ((value: StateDto) => void) | undefined;
  const deferred = { on: false };
  const instance = new WsHub(
    {
      clock: { now: () => 1 },
      logger: silentLogger,
      stateFor: () => (deferred.on ? new Promise<StateDto>((resolve) => (resolveState = resolve)) : Promise.resolve(state)),
    },
    { pingIntervalMs: 60_000, heartbeatIdleMs: 60_000, ...options },
  );
  return { instance, deferred, release: () => resolveState?.(state) };
}

const attach = (instance: WsHub, socket: FakeSocket) => instance.attach(socket as unknown as WebSocket, principal);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('WsHub close paths (fake sockets)', () => {
  it('terminates a slow consumer instead of buffering without bound', async () => {
    const { instance } = hub({ maxBufferedBytes: 10 });
    const socket = new FakeSocket();
    attach(instance, socket);
    await tick();
    socket.bufferedAmount = 11;
    instance.publish({ type: 'heartbeat', payload: {} });
    instance.flush();
    expect(socket.terminated).toBe(true);
    expect(instance.size).toBe(0);
    expect(socket.listenerCount('pong') + socket.listenerCount('close') + socket.listenerCount('message')).toBe(0);
    expect(instance.timerCount).toBe(0);
  });

  it('releases a client on a socket error and survives later errors on it', async () => {
    const { instance } = hub();
    const socket = new FakeSocket();
    attach(instance, socket);
    await tick();
    socket.emit('error', new Error('ECONNRESET'));
    expect(instance.size).toBe(0);
    expect(() => socket.emit('error', new Error('again'))).not.toThrow();
  });

  it('sends frames broadcast while a snapshot is being built after the snapshot, in order', async () => {
    const { instance, deferred, release } = hub();
    deferred.on = true;
    const socket = new FakeSocket();
    attach(instance, socket);
    instance.publish({ type: 'heartbeat', payload: {} });
    instance.flush();
    expect(socket.sent).toEqual([]);
    release();
    await tick();
    expect(socket.sent.map((text) => JSON.parse(text).type)).toEqual(['snapshot', 'heartbeat']);
  });

  it('refuses sockets after close and releases everything on close', async () => {
    const { instance } = hub();
    const open = new FakeSocket();
    attach(instance, open);
    await tick();
    await instance.close();
    expect(open.closedWith?.code).toBe(1001);
    expect(instance.size).toBe(0);
    expect(instance.timerCount).toBe(0);
    const late = new FakeSocket();
    attach(instance, late);
    expect(late.closedWith?.code).toBe(1001);
  });
});

describe('WsHub batching (injected clock)', () => {
  function clocked() {
    const time = { now: 1_000_000 };
    const instance = new WsHub(
      { clock: { now: () => time.now }, logger: silentLogger, stateFor: () => Promise.resolve(state) },
      { pingIntervalMs: 60_000, heartbeatIdleMs: 60_000, batchIntervalMs: 60_000 },
    );
    return { instance, time };
  }
  const immediate = () => new Promise((resolve) => setImmediate(resolve));

  it('sends the first frame after a quiet period at once, grouping the messages of one event-loop turn', async () => {
    const { instance } = clocked();
    const socket = new FakeSocket();
    attach(instance, socket);
    await tick();
    const before = socket.sent.length;
    instance.publish({ type: 'heartbeat', payload: {} });
    instance.publish({ type: 'heartbeat', payload: {} });
    await immediate();
    // A 60 s batch interval, yet the frame left in the same turn: nothing waits after a quiet period.
    expect(socket.sent.length).toBe(before + 1);
    expect(JSON.parse(socket.sent.at(-1)!).type).toBe('batch');
    await instance.close();
  });

  it('batches a burst: a second frame within batchIntervalMs waits for the rest of the interval', async () => {
    const { instance, time } = clocked();
    const socket = new FakeSocket();
    attach(instance, socket);
    await tick();
    instance.publish({ type: 'heartbeat', payload: {} });
    await immediate();
    const afterFirst = socket.sent.length;
    time.now += 1_000;
    instance.publish({ type: 'heartbeat', payload: {} });
    await immediate();
    expect(socket.sent.length).toBe(afterFirst); // held: inside the burst window
    expect(instance.timerCount).toBeGreaterThan(0);
    instance.flush();
    expect(socket.sent.length).toBe(afterFirst + 1);
    time.now += 60_000; // quiet again
    instance.publish({ type: 'heartbeat', payload: {} });
    await immediate();
    expect(socket.sent.length).toBe(afterFirst + 2);
    await instance.close();
    expect(instance.timerCount).toBe(0);
  });
});
