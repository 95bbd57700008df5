import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../core/ports/events.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { createEventBus } from './event-bus.ts';

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (fields, message) => errors.push(`${message}: ${String(fields.error)}`),
  };
}

const freeze = { frozen: true, by: 'user:alice', at: 1 } as const;

describe('createEventBus', () => {
  it('delivers a published event to its listeners and to onAny listeners, in order', () => {
    const bus = createEventBus(recordingLogger());
    const seen: string[] = [];
    bus.on('freeze.changed', (payload) => seen.push(`named ${payload.by}`));
    bus.onAny((event) => seen.push(`any ${event.name}`));
    bus.on('ticket.expired', () => seen.push('wrong event'));
    bus.publish('freeze.changed', freeze);
    expect(seen).toEqual(['named user:alice', 'any freeze.changed']);
  });

  it('isolates a throwing listener: publish does not throw, the others still run, the error is logged', () => {
    const logger = recordingLogger();
    const bus = createEventBus(logger);
    const seen: DomainEvent[] = [];
    bus.on('freeze.changed', () => {
      throw new Error('boom');
    });
    bus.onAny(() => {
      throw new Error('any boom');
    });
    bus.onAny((event) => seen.push(event));
    expect(() => bus.publish('freeze.changed', freeze)).not.toThrow();
    expect(seen).toEqual([{ name: 'freeze.changed', payload: freeze }]);
    expect(logger.errors).toEqual(['event listener failed: boom', 'event listener failed: any boom']);
  });

  it('unsubscribes, and a listener removed during publish does not break delivery', () => {
    const bus = createEventBus(recordingLogger());
    const seen: number[] = [];
    const offFirst = bus.on('ticket.expired', () => {
      seen.push(1);
      offFirst();
    });
    const offAny = bus.onAny(() => seen.push(2));
    bus.publish('ticket.expired', { ticketId: 't', at: 1 });
    bus.publish('ticket.expired', { ticketId: 't', at: 2 });
    offAny();
    bus.publish('ticket.expired', { ticketId: 't', at: 3 });
    expect(seen).toEqual([1, 2, 2]);
    expect(bus.listenerCount).toBe(0);
  });
});
