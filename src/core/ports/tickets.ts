import type { JarvisError, Result } from '../errors.ts';
import type { Ticket } from '../safety/decision.ts';

/**
 * Confirmation tickets (adapters/sqlite: SqliteTicketStore). `consume` is atomic: exactly one
 * caller can move a pending, unexpired ticket to `consumed`; every other call gets TICKET_INVALID.
 */
export interface TicketStore {
  save(ticket: Ticket): Promise<Result<void, JarvisError>>;
  get(id: string): Promise<Result<Ticket | undefined, JarvisError>>;
  /**
   * Atomically marks a pending ticket consumed; returns the ticket as it was while pending.
   * `by` names the approver (e.g. `user:alice`); it is stored with the time as closedBy/closedAt.
   */
  consume(id: string, now: number, by?: string): Promise<Result<Ticket, JarvisError>>;
  /** Marks a pending ticket rejected (by a human or because re-deciding denied it). */
  reject(id: string, now: number, by?: string): Promise<Result<Ticket, JarvisError>>;
  listPending(now: number): Promise<Result<Ticket[], JarvisError>>;
  /** The most recent tickets of any status, newest first (for the approvals history view). */
  listRecent(limit: number): Promise<Result<Ticket[], JarvisError>>;
}
