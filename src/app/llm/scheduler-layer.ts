/**
 * Scheduler layer (local model only): waits for a slot from the `SlotScheduler`, runs the call with
 * the lease's abort signal (and `id_slot` when slot pinning is on), releases the slot, and requeues
 * a background call a user request preempted (at the front of its queue, up to three times).
 */
import { err, jarvisError, ok } from '../../core/errors.ts';
import { promptTokens, type TokenCalibration } from '../../core/llm/context-budget.ts';
import type { ModelLayer } from './model-layers.ts';
import type { SlotScheduler } from './slot-scheduler.ts';

export interface SchedulerLayerOptions {
  readonly scheduler: SlotScheduler;
  /** Send `id_slot` so a conversation keeps its llama-server slot (and its prompt cache). */
  readonly pinSlots: boolean;
  readonly calibration: () => TokenCalibration;
  readonly onQueueWait?: ((ms: number, requestClass: 'user' | 'background') => void) | undefined;
  readonly onPreempted?: ((purpose: string) => void) | undefined;
}

const MAX_REQUEUES = 3;

export function schedulerLayer(options: SchedulerLayerOptions): ModelLayer {
  return (next) => async (call) => {
    const tokens =
      promptTokens({ system: call.request.system, tools: call.request.tools, messages: call.messages }, options.calibration()) + call.maxOutputTokens;
    let waited = 0;
    for (let attempt = 0; ; attempt += 1) {
      const lease = await options.scheduler.acquire({
        requestClass: call.request.class,
        tokens,
        conversationId: call.request.conversationId,
        signal: call.signal,
        requeued: attempt > 0,
      });
      if (!lease.ok) return lease;
      waited += lease.value.waitedMs;
      options.onQueueWait?.(lease.value.waitedMs, call.request.class);
      const signal = call.signal ? AbortSignal.any([call.signal, lease.value.signal]) : lease.value.signal;
      const result = await next({ ...call, signal, ...(options.pinSlots ? { slotId: lease.value.slotId } : {}) });
      lease.value.release();
      if (!result.ok && lease.value.preempted() && !call.signal?.aborted) {
        options.onPreempted?.(call.request.purpose);
        if (attempt + 1 >= MAX_REQUEUES)
          return err(jarvisError('LLM_SHED', `background model work (${call.request.purpose}) was preempted by user requests ${MAX_REQUEUES} times and shed`));
        continue;
      }
      return result.ok ? ok({ ...result.value, queueWaitMs: waited }) : result;
    }
  };
}
