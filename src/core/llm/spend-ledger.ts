/**
 * The spend ledger port: one row per model call (tokens in/out, cached tokens, cost, model,
 * category, purpose, audit id). Reservation is check-and-insert in one atomic step, so concurrent
 * callers can never together pass a cap; settle replaces the reservation with the real cost.
 */
import type { JarvisError, Result } from '../errors.ts';
import type { CapExceeded, SpendCaps } from './budget-caps.ts';
import type { ModelProvider, RequestCategory } from './model-port.ts';

export interface SpendReservation {
  readonly provider: ModelProvider;
  readonly model: string;
  readonly category: RequestCategory;
  readonly purpose: string;
  readonly auditId?: string | undefined;
  /** Worst-case cost of the call, USD. */
  readonly amountUsd: number;
}

export interface SpendSettlement {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  readonly costUsd: number;
}

export interface SpendLedger {
  /**
   * Reserves `amountUsd` if every cap still has room for it (settled spend in the cap's window plus
   * all open reservations). Atomic. Err(LLM_BUDGET_EXCEEDED, details.exceeded) when a cap is full.
   */
  reserve(reservation: SpendReservation, caps: SpendCaps, now: number): Result<{ readonly id: string }, JarvisError & { readonly exceeded?: CapExceeded }>;
  /** Records the real usage and cost and closes the reservation. */
  settle(id: string, settlement: SpendSettlement, now: number): Result<void, JarvisError>;
  /** Closes a reservation that cost nothing (the call never reached the provider). */
  release(id: string, now: number): Result<void, JarvisError>;
  /** Settled cost since `since` plus every open reservation, USD (for caps and /metrics). */
  committed(since: number): number;
}
