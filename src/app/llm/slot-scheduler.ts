/**
 * Jarvis's own admission control for llama-server, which queues FIFO with no priority. Classes:
 * user > background. At most `slots − reservedUserSlots` background requests run at once (at least
 * one, so background work can run on a one-slot server); a user request never waits behind
 * background work: when no slot is free it aborts the youngest background request (closing its
 * HTTP request frees the server's slot) and takes its place; the aborted request is requeued by the
 * caller. Background work waits at most `backgroundWaitMs`, then is shed with a reason. With a
 * shared KV pool, the sum of the running requests' token reservations stays within the pool.
 */
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { ModelRequestClass } from '../../core/llm/model-port.ts';

export interface SchedulerCapacity {
  readonly slots: number;
  readonly slotContext: number;
  /** One KV pool shared by all slots (`llm.local.kvUnified`); slotContext is then the pool size. */
  readonly sharedPool: boolean;
}

export interface SchedulerOptions {
  readonly capacity: () => SchedulerCapacity;
  readonly reservedUserSlots: number;
  readonly backgroundWaitMs: number;
  readonly now: () => number;
  /** Injected timer (tests drive it by hand); returns a cancel function. */
  readonly setTimer: (callback: () => void, ms: number) => () => void;
  readonly onShed?: ((reason: string) => void) | undefined;
}

export interface SlotLease {
  readonly slotId: number;
  /** Aborted when a user request preempts this (background) lease. */
  readonly signal: AbortSignal;
  readonly waitedMs: number;
  preempted(): boolean;
  release(): void;
}

export interface AcquireRequest {
  readonly requestClass: ModelRequestClass;
  /** Prompt estimate + max_tokens (counted against a shared pool). */
  readonly tokens: number;
  readonly conversationId?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Requeued after preemption: goes to the front of its queue. */
  readonly requeued?: boolean | undefined;
}

interface Running {
  readonly id: number;
  readonly requestClass: ModelRequestClass;
  readonly slotId: number;
  readonly tokens: number;
  readonly controller: AbortController;
  preempted: boolean;
}

interface Waiter {
  readonly request: AcquireRequest;
  readonly enqueuedAt: number;
  readonly resolve: (result: Result<SlotLease, JarvisError>) => void;
  cancel: () => void;
}

export class SlotScheduler {
  readonly #options: SchedulerOptions;
  readonly #running = new Map<number, Running>();
  readonly #userQueue: Waiter[] = [];
  readonly #backgroundQueue: Waiter[] = [];
  readonly #conversationSlots = new Map<string, number>();
  #nextId = 1;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  /** In flight and queued, per class (for /metrics and status). */
  stats(): { running: Record<ModelRequestClass, number>; queued: Record<ModelRequestClass, number> } {
    const running = { user: 0, background: 0 };
    for (const entry of this.#running.values()) running[entry.requestClass] += 1;
    return { running, queued: { user: this.#userQueue.length, background: this.#backgroundQueue.length } };
  }

  acquire(request: AcquireRequest): Promise<Result<SlotLease, JarvisError>> {
    if (request.signal?.aborted)
      return Promise.resolve(err(jarvisError('LLM_TIMEOUT', 'the request was cancelled before it got a slot', { details: { aborted: true } })));
    return new Promise((resolve) => {
      const waiter: Waiter = { request, enqueuedAt: this.#options.now(), resolve, cancel: () => undefined };
      const queue = request.requestClass === 'user' ? this.#userQueue : this.#backgroundQueue;
      if (request.requeued) queue.unshift(waiter);
      else queue.push(waiter);
      const onAbort = (): void => {
        if (this.#remove(waiter))
          resolve(err(jarvisError('LLM_TIMEOUT', 'the request was cancelled while waiting for a slot', { details: { aborted: true } })));
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      let cancelTimer = (): void => undefined;
      if (request.requestClass === 'background') {
        cancelTimer = this.#options.setTimer(() => {
          if (!this.#remove(waiter)) return;
          const reason = `background model work shed after waiting ${Math.round(this.#options.backgroundWaitMs / 1000)} s for a free local slot (all slots busy)`;
          this.#options.onShed?.(reason);
          resolve(err(jarvisError('LLM_SHED', reason)));
        }, this.#options.backgroundWaitMs);
      }
      waiter.cancel = () => {
        cancelTimer();
        request.signal?.removeEventListener('abort', onAbort);
      };
      this.#pump();
    });
  }

  #remove(waiter: Waiter): boolean {
    for (const queue of [this.#userQueue, this.#backgroundQueue]) {
      const index = queue.indexOf(waiter);
      if (index !== -1) {
        queue.splice(index, 1);
        waiter.cancel();
        return true;
      }
    }
    return false;
  }

  #poolTokens(tokens: number, capacity: SchedulerCapacity): number {
    return Math.min(Math.max(0, tokens), capacity.slotContext);
  }

  #fits(request: AcquireRequest, capacity: SchedulerCapacity): boolean {
    if (this.#running.size >= capacity.slots) return false;
    if (!capacity.sharedPool) return true;
    let used = 0;
    for (const entry of this.#running.values()) used += entry.tokens;
    return used + this.#poolTokens(request.tokens, capacity) <= capacity.slotContext;
  }

  #backgroundLimit(capacity: SchedulerCapacity): number {
    return Math.max(1, capacity.slots - Math.max(0, this.#options.reservedUserSlots));
  }

  #pump(): void {
    const capacity = this.#options.capacity();
    while (this.#userQueue.length > 0) {
      const waiter = this.#userQueue[0]!;
      if (this.#fits(waiter.request, capacity)) {
        this.#userQueue.shift();
        this.#admit(waiter, capacity);
        continue;
      }
      if (!this.#preemptOne()) break;
    }
    while (this.#userQueue.length === 0 && this.#backgroundQueue.length > 0) {
      const running = this.stats().running.background;
      const waiter = this.#backgroundQueue[0]!;
      if (running >= this.#backgroundLimit(capacity) || !this.#fits(waiter.request, capacity)) break;
      this.#backgroundQueue.shift();
      this.#admit(waiter, capacity);
    }
  }

  /** Aborts the youngest background request; false when none runs. */
  #preemptOne(): boolean {
    const victim = [...this.#running.values()].filter((entry) => entry.requestClass === 'background').sort((a, b) => b.id - a.id)[0];
    if (!victim) return false;
    victim.preempted = true;
    this.#running.delete(victim.id);
    victim.controller.abort(new Error('preempted by a user request'));
    return true;
  }

  #freeSlot(conversationId: string | undefined, capacity: SchedulerCapacity): number {
    const used = new Set([...this.#running.values()].map((entry) => entry.slotId));
    const preferred = conversationId !== undefined ? this.#conversationSlots.get(conversationId) : undefined;
    if (preferred !== undefined && preferred < capacity.slots && !used.has(preferred)) return preferred;
    for (let slot = 0; slot < capacity.slots; slot += 1) if (!used.has(slot)) return slot;
    return 0;
  }

  #admit(waiter: Waiter, capacity: SchedulerCapacity): void {
    waiter.cancel();
    const id = this.#nextId++;
    const slotId = this.#freeSlot(waiter.request.conversationId, capacity);
    if (waiter.request.conversationId !== undefined) this.#conversationSlots.set(waiter.request.conversationId, slotId);
    if (this.#conversationSlots.size > 10_000) this.#conversationSlots.delete(this.#conversationSlots.keys().next().value!);
    const entry: Running = {
      id,
      requestClass: waiter.request.requestClass,
      slotId,
      tokens: this.#poolTokens(waiter.request.tokens, capacity),
      controller: new AbortController(),
      preempted: false,
    };
    this.#running.set(id, entry);
    let released = false;
    waiter.resolve(
      ok({
        slotId,
        signal: entry.controller.signal,
        waitedMs: this.#options.now() - waiter.enqueuedAt,
        preempted: () => entry.preempted,
        release: () => {
          if (released) return;
          released = true;
          this.#running.delete(id);
          this.#pump();
        },
      }),
    );
  }
}
