/**
 * Budget layer: reserves the worst-case cost of the call in the spend ledger before it runs
 * (refusing with LLM_BUDGET_EXCEEDED when a cap is full), and settles the real cost after. A call
 * that failed before the provider answered is released; an aborted one is settled at its
 * reservation (tokens may have been spent).
 */
import { err, ok } from '../../core/errors.ts';
import type { SpendCaps } from '../../core/llm/budget-caps.ts';
import { maxPromptTokens } from '../../core/llm/context-budget.ts';
import type { ModelProvider } from '../../core/llm/model-port.ts';
import { costOf, worstCaseCost, type ModelPrice } from '../../core/llm/prices.ts';
import type { SpendLedger } from '../../core/llm/spend-ledger.ts';
import type { ModelLayer } from './model-layers.ts';

export interface BudgetLayerOptions {
  readonly ledger: SpendLedger;
  readonly provider: ModelProvider;
  readonly model: string;
  readonly price: ModelPrice;
  readonly caps: () => SpendCaps;
  readonly now: () => number;
}

export function budgetLayer(options: BudgetLayerOptions): ModelLayer {
  return (next) => async (call) => {
    const worst = worstCaseCost(
      maxPromptTokens({ system: call.request.system, tools: call.request.tools, messages: call.messages }),
      call.maxOutputTokens,
      options.price,
    );
    const reservation = options.ledger.reserve(
      {
        provider: options.provider,
        model: options.model,
        category: call.request.category,
        purpose: call.request.purpose,
        auditId: call.request.auditId,
        amountUsd: worst,
      },
      options.caps(),
      options.now(),
    );
    if (!reservation.ok) return err(reservation.error);
    const result = await next(call);
    if (!result.ok) {
      if (result.error.details?.['aborted'] === true)
        options.ledger.settle(reservation.value.id, { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: worst }, options.now());
      else options.ledger.release(reservation.value.id, options.now());
      return result;
    }
    const costUsd = costOf(result.value, options.price);
    options.ledger.settle(
      reservation.value.id,
      { inputTokens: result.value.inputTokens, outputTokens: result.value.outputTokens, cachedInputTokens: result.value.cachedInputTokens, costUsd },
      options.now(),
    );
    return ok({ ...result.value, costUsd });
  };
}
