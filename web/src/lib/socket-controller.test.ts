import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SocketController, type SocketLike } from './socket-controller.ts';
import type { ConnectionStatus } from './connection-status.ts';

interface Message {
  type: string;
  seq: number;
  ts: number;
}

class FakeSocket implements SocketLike {
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  closed = false;
  close(): void {
    this.closed = true;
  }
  send(message: Message): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

function setup(refreshSeq: number | undefined = 10) {
  const sockets: FakeSocket[] = [];
  const batches: Message[][] = [];
  const statuses: ConnectionStatus[] = [];
  const refresh = vi.fn(async (): Promise<number | undefined> => refreshSeq);
  const controller = new SocketController<Message>({
    url: 'ws://127.0.0.1/ws',
    parse: (data) => JSON.parse(String(data)) as Message,
    isSnapshot: (message) => message.type === 'snapshot',
    onBatch: (messages) => batches.push([...messages]),
    refresh,
    onStatus: (status) => statuses.push(status),
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
    random: () => 0,
    now: () => Date.now(),
  });
  return { controller, sockets, batches, statuses, refresh };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('SocketController', () => {
  it('refreshes over HTTP on open and drops deltas the snapshot already contains', async () => {
    const { controller, sockets, batches, refresh } = setup(10);
    controller.start();
    sockets[0]!.onopen?.({});
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(1);
    sockets[0]!.send({ type: 'delta', seq: 9, ts: 1 });
    sockets[0]!.send({ type: 'delta', seq: 11, ts: 1 });
    await vi.advanceTimersByTimeAsync(100);
    expect(batches).toEqual([[{ type: 'delta', seq: 11, ts: 1 }]]);
    controller.stop();
  });

  it('batches messages: one delivery per 100 ms window', async () => {
    const { controller, sockets, batches } = setup(0);
    controller.start();
    sockets[0]!.onopen?.({});
    await vi.advanceTimersByTimeAsync(0);
    for (let seq = 1; seq <= 50; seq += 1) sockets[0]!.send({ type: 'delta', seq, ts: 1 });
    await vi.advanceTimersByTimeAsync(100);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(50);
    controller.stop();
  });

  it('refetches full state when it sees a seq gap', async () => {
    const { controller, sockets, refresh } = setup(0);
    controller.start();
    sockets[0]!.onopen?.({});
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.send({ type: 'delta', seq: 1, ts: 1 });
    sockets[0]!.send({ type: 'delta', seq: 3, ts: 1 });
    await vi.advanceTimersByTimeAsync(100);
    expect(refresh).toHaveBeenCalledTimes(2);
    controller.stop();
  });

  it('reconnects (instead of applying later deltas) when the refresh after a seq gap fails', async () => {
    let answer: number | undefined = 0;
    const { controller, sockets, batches, refresh } = setup(0);
    refresh.mockImplementation(async () => answer);
    controller.start();
    sockets[0]!.onopen?.({});
    await vi.advanceTimersByTimeAsync(0);
    answer = undefined; // HTTP fails from now on
    sockets[0]!.send({ type: 'delta', seq: 1, ts: 1 });
    sockets[0]!.send({ type: 'delta', seq: 3, ts: 1 });
    await vi.advanceTimersByTimeAsync(100);
    sockets[0]!.send({ type: 'delta', seq: 4, ts: 1 });
    await vi.advanceTimersByTimeAsync(200);
    expect(batches.flat().map((message) => message.seq)).toEqual([1]); // 4 was never applied
    expect(sockets[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sockets).toHaveLength(2);
    sockets[1]!.onopen?.({});
    sockets[1]!.send({ type: 'snapshot', seq: 7, ts: 1 });
    sockets[1]!.send({ type: 'delta', seq: 8, ts: 1 });
    await vi.advanceTimersByTimeAsync(100);
    expect(batches.flat().map((message) => message.seq)).toEqual([1, 7, 8]);
    controller.stop();
  });

  it('reconnects after 1 s, 2 s, 4 s..., goes red after failed retries and green again on success', async () => {
    const { controller, sockets, statuses, refresh } = setup(0);
    controller.start();
    sockets[0]!.onopen?.({});
    sockets[0]!.send({ type: 'snapshot', seq: 0, ts: 1 });
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.onclose?.({});
    expect(statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(999);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    sockets[1]!.onclose?.({});
    await vi.advanceTimersByTimeAsync(1_999);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    sockets[2]!.onclose?.({});
    expect(statuses.at(-1)).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(3_999);
    expect(sockets).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    sockets[3]!.onopen?.({});
    sockets[3]!.send({ type: 'snapshot', seq: 5, ts: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toBe('connected');
    expect(refresh).toHaveBeenCalledTimes(2);
    // Reset on success: the next drop waits 1 s again.
    sockets[3]!.onclose?.({});
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sockets).toHaveLength(5);
    controller.stop();
  });

  it('keeps backing off when the server accepts and at once closes (e.g. 1013 too many clients)', async () => {
    const { controller, sockets } = setup(0);
    controller.start();
    const opensAt: number[] = [];
    for (let index = 0; index < 6; index += 1) {
      while (sockets.length < index + 1) await vi.advanceTimersByTimeAsync(100);
      opensAt.push(Date.now());
      sockets[index]!.onopen?.({});
      sockets[index]!.onclose?.({}); // refused right after the upgrade: no frame ever arrived
    }
    const gaps = opensAt.slice(1).map((at, index) => at - opensAt[index]!);
    expect(gaps.map((gap) => Math.round(gap / 100) * 100)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    controller.stop();
  });

  it('reports the server close reason (1013 too many clients) until a connection works again', async () => {
    const reasons: (string | undefined)[] = [];
    const sockets: FakeSocket[] = [];
    const controller = new SocketController<Message>({
      url: 'ws://127.0.0.1/ws',
      parse: (data) => JSON.parse(String(data)) as Message,
      isSnapshot: (message) => message.type === 'snapshot',
      onBatch: () => undefined,
      refresh: async () => 0,
      onStatus: () => undefined,
      onCloseReason: (reason) => reasons.push(reason),
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      random: () => 0,
    });
    controller.start();
    sockets[0]!.onopen?.({});
    sockets[0]!.onclose?.({ code: 1013, reason: 'try again later: too many clients (max 20)' });
    expect(reasons).toEqual(['try again later: too many clients (max 20) (1013)']);
    await vi.advanceTimersByTimeAsync(1_000);
    sockets[1]!.onopen?.({});
    sockets[1]!.send({ type: 'snapshot', seq: 1, ts: 1 });
    expect(reasons).toEqual(['try again later: too many clients (max 20) (1013)', undefined]);
    controller.stop();
  });

  it('holds a single socket: stop closes it and no reconnect fires afterwards', async () => {
    const { controller, sockets } = setup(0);
    controller.start();
    controller.start();
    expect(sockets).toHaveLength(1);
    controller.stop();
    expect(sockets[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('a controlled reconnect closes the old socket before opening the new one', () => {
    const { controller, sockets } = setup(0);
    controller.start();
    controller.reconnectNow();
    expect(sockets[0]!.closed).toBe(true);
    expect(sockets).toHaveLength(2);
    controller.stop();
  });
});

describe('SocketController connect failures', () => {
  it('reports attempts that never opened (so the caller can probe the session), not drops of open sockets', async () => {
    vi.useFakeTimers();
    const failures: number[] = [];
    const sockets: FakeSocket[] = [];
    const controller = new SocketController<Message>({
      url: 'ws://127.0.0.1/ws',
      parse: () => undefined,
      isSnapshot: () => false,
      onBatch: () => undefined,
      refresh: async () => 0,
      onStatus: () => undefined,
      onConnectFailed: () => failures.push(sockets.length),
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      random: () => 0,
    });
    controller.start();
    sockets[0]!.onopen?.({});
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.onclose?.({});
    expect(failures).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    sockets[1]!.onclose?.({});
    expect(failures).toEqual([2]);
    controller.stop();
    vi.useRealTimers();
  });
});

describe('SocketController idle watchdog', () => {
  it('reconnects an open socket that stayed silent past the idle timeout (half-open TCP)', async () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const controller = new SocketController<Message>({
      url: 'ws://127.0.0.1/ws',
      parse: (data) => JSON.parse(String(data)) as Message,
      isSnapshot: () => false,
      onBatch: () => undefined,
      refresh: async () => 0,
      onStatus: () => undefined,
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      idleTimeoutMs: 35_000,
    });
    controller.start();
    sockets[0]!.onopen?.({});
    await vi.advanceTimersByTimeAsync(30_000);
    sockets[0]!.send({ type: 'heartbeat', seq: 1, ts: 1 });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_001);
    expect(sockets[0]!.closed).toBe(true);
    expect(sockets).toHaveLength(2);
    controller.stop();
    vi.useRealTimers();
  });
});
