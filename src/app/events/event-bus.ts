/**
 * The in-process implementation of the core's `EventBus` port (src/core/ports/events.ts): a typed
 * map of listeners. `publish` delivers synchronously, in subscription order, to the listeners of
 * that event and then to the `onAny` listeners; a listener that throws is logged and isolated, so
 * neither the publisher nor the other listeners ever see it. Listeners that need to do I/O start
 * it themselves (the bus never awaits).
 */
import { toJarvisError } from '../../core/errors.ts';
import type { DomainEvent, DomainEventMap, DomainEventName, EventBus } from '../../core/ports/events.ts';
import type { Logger } from '../../core/ports/logger.ts';

type AnyListener = (event: DomainEvent) => void;
type Listener = (payload: never) => void;

export interface InProcessEventBus extends EventBus {
  /** Number of listeners (named + any), for leak tests. */
  readonly listenerCount: number;
}

/** Builds the bus; `logger` receives the errors of throwing listeners. */
export function createEventBus(logger: Logger): InProcessEventBus {
  const named = new Map<DomainEventName, Set<Listener>>();
  const any = new Set<AnyListener>();

  function safely(name: DomainEventName, call: () => void): void {
    try {
      call();
    } catch (error) {
      logger.error({ event: name, error: toJarvisError(error).message }, 'event listener failed');
    }
  }

  return {
    publish<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): void {
      for (const listener of [...(named.get(name) ?? [])]) safely(name, () => (listener as (payload: DomainEventMap[K]) => void)(payload));
      if (any.size === 0) return;
      const event = { name, payload } as DomainEvent;
      for (const listener of [...any]) safely(name, () => listener(event));
    },
    on<K extends DomainEventName>(name: K, listener: (payload: DomainEventMap[K]) => void): () => void {
      const set = named.get(name) ?? new Set<Listener>();
      named.set(name, set);
      const entry = listener as Listener;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    onAny(listener: AnyListener): () => void {
      any.add(listener);
      return () => {
        any.delete(listener);
      };
    },
    get listenerCount(): number {
      let count = any.size;
      for (const set of named.values()) count += set.size;
      return count;
    },
  };
}
