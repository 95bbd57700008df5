/**
 * Node locks shared by every process using the same state DB (the server and `jarvis approve`):
 * at most one unexpired lock cluster-wide. Check-and-take is one IMMEDIATE transaction. A crashed
 * holder's lock lapses at its `expiresAt`. Any storage failure fails closed: `tryAcquire` answers
 * false and `state` reports a lock held by `lock-store-unavailable`.
 */
import type { NodeLocks } from '../../core/ports/locks.ts';
import type { LockState, NodeLock } from '../../core/safety/decision.ts';
import { migrate, type SqliteDatabase } from './open-database.ts';

const MIGRATIONS = [
  {
    id: 'locks-001',
    sql: 'CREATE TABLE node_locks (node TEXT NOT NULL, holder TEXT NOT NULL, acquired_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (node, holder))',
  },
];

interface Row {
  node: string;
  holder: string;
  acquiredAt: number;
  expiresAt: number;
}

export class SqliteNodeLocks implements NodeLocks {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    migrate(database, MIGRATIONS);
    this.#database = database;
  }

  state(now: number): LockState {
    try {
      const rows = this.#database
        .prepare('SELECT node, holder, acquired_at AS acquiredAt, expires_at AS expiresAt FROM node_locks WHERE expires_at > ?')
        .all(now) as Row[];
      return { held: rows };
    } catch {
      return { held: [{ node: '?', holder: 'lock-store-unavailable', acquiredAt: now, expiresAt: now + 60_000 }] };
    }
  }

  tryAcquire(lock: NodeLock, now: number): boolean {
    try {
      return this.#database
        .transaction(() => {
          this.#database.prepare('DELETE FROM node_locks WHERE expires_at <= ?').run(now);
          const { count } = this.#database.prepare('SELECT count(*) AS count FROM node_locks').get() as { count: number };
          if (count > 0) return false;
          this.#database
            .prepare('INSERT INTO node_locks (node, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)')
            .run(lock.node, lock.holder, lock.acquiredAt, lock.expiresAt);
          return true;
        })
        .immediate();
    } catch {
      return false;
    }
  }

  release(node: string, holder: string): void {
    try {
      this.#database.prepare('DELETE FROM node_locks WHERE node = ? AND holder = ?').run(node, holder);
    } catch {
      // The lock lapses at its expiry.
    }
  }
}
