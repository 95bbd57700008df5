import type { LockState, NodeLock } from '../safety/decision.ts';

/**
 * Node locks: Jarvis operates on one node at a time (seed pitfall 1.4). Synchronous so that
 * check-and-take is atomic within one Node runtime. `tryAcquire` fails while any unexpired lock is held
 * (on any node); the guarded executor releases in `finally`.
 */
export interface NodeLocks {
  state(now: number): LockState;
  tryAcquire(lock: NodeLock, now: number): boolean;
  release(node: string, holder: string): void;
}
