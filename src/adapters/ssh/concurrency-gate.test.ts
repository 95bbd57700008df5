import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from './concurrency-gate.ts';

describe('ConcurrencyGate', () => {
  it('grants up to the limit, queues the rest in order, and hands slots over on release', async () => {
    const gate = new ConcurrencyGate(2);
    const never = new AbortController().signal;
    expect(await gate.acquire(never)).toBe(true);
    expect(await gate.acquire(never)).toBe(true);
    const order: string[] = [];
    const third = gate.acquire(never).then((granted) => order.push(`third:${granted}`));
    const fourth = gate.acquire(never).then((granted) => order.push(`fourth:${granted}`));
    expect(gate.load()).toEqual({ active: 2, waiting: 2 });
    gate.release();
    await third;
    gate.release();
    await fourth;
    expect(order).toEqual(['third:true', 'fourth:true']);
    expect(gate.load()).toEqual({ active: 2, waiting: 0 });
  });

  it('an aborted waiter leaves the queue without taking a slot', async () => {
    const gate = new ConcurrencyGate(1);
    const never = new AbortController().signal;
    await gate.acquire(never);
    const controller = new AbortController();
    const waiting = gate.acquire(controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    expect(gate.load()).toEqual({ active: 1, waiting: 0 });
    gate.release();
    expect(gate.load()).toEqual({ active: 0, waiting: 0 });
  });
});
