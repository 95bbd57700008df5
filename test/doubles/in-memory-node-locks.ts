/**
 * In-process node locks: at most one unexpired lock at a time, cluster-wide (Jarvis acts on one
 * node at a time). Check-and-take is synchronous, hence atomic on Node's single thread.
 */
import type { NodeLocks } from '../../src/core/ports/locks.ts';
import type { LockState, NodeLock } from '../../src/core/safety/decision.ts';

export class InMemoryNodeLocks implements NodeLocks {
  #held: NodeLock[] = [];

  state(now: number): LockState {
    this.#held = this.#held.filter((lock) => lock.expiresAt > now);
    return { held: [...this.#held] };
  }

  tryAcquire(lock: NodeLock, now: number): boolean {
    if (this.state(now).held.length > 0) return false;
    this.#held.push(lock);
    return true;
  }

  release(node: string, holder: string): void {
    this.#held = this.#held.filter((lock) => !(lock.node === node && lock.holder === holder));
  }
}
