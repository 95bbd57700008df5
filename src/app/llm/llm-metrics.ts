/**
 * The gateway's Prometheus series on the app's registry: spend per cap (and the cap), in-flight
 * and queued requests per class, user/background queue wait, canary state, cooldowns, cache
 * hits/misses, calls by provider and outcome. Gauges are read at scrape time from `stats()`.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { GatewayStats } from './create-model-gateway.ts';
import type { GatewayEvent } from './model-gateway.ts';

export interface LlmMetrics {
  /** Feed to createModelGateway's `onEvent`. */
  onEvent(event: GatewayEvent): void;
  /** Feed to createModelGateway's `onQueueWait`. */
  onQueueWait(ms: number, requestClass: 'user' | 'background'): void;
}

/**
 * `capacity`: the local server's slots as last read (`ModelGatewayHandle.capacity`), for `jarvis_llm_slots`.
 * `latency`: the app's `jarvis_dependency_latency_seconds`, fed `llm-local` / `llm-cloud` per provider call.
 */
export function registerLlmMetrics(
  registry: Registry,
  stats: () => GatewayStats | undefined,
  now: () => number,
  capacity?: () => { readonly slots: number } | undefined,
  latency?: Histogram<'dependency'>,
): LlmMetrics {
  const gauge = (name: string, help: string, labelNames: string[], collect: (set: (labels: Record<string, string>, value: number) => void) => void): void => {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        let written = false;
        collect((labels, value) => {
          written = true;
          this.set(labels, value);
        });
        // prom-client keeps a 0 sample for an unlabelled gauge even after reset(): a value not known
        // yet (canary before its first run, slots not read) must be absent, not 0 ("failing", "no slots").
        if (!written && labelNames.length === 0) this.remove();
      },
    });
  };
  gauge('jarvis_llm_spend_usd', 'Cloud model spend (settled + reserved) in the current window of each cap, USD', ['cap'], (set) => {
    const current = stats();
    if (current) for (const [cap, value] of Object.entries(current.spendUsd)) set({ cap }, value);
  });
  gauge('jarvis_llm_cap_usd', 'Configured cloud spend cap per window, USD', ['cap'], (set) => {
    const current = stats();
    if (current)
      for (const [cap, value] of Object.entries({ hourly: current.capsUsd.hourly, daily: current.capsUsd.daily, monthly: current.capsUsd.monthly }))
        if (value !== undefined) set({ cap }, value);
  });
  gauge('jarvis_llm_in_flight', 'Local model requests running, per class', ['class'], (set) => {
    const current = stats();
    if (current) for (const [requestClass, value] of Object.entries(current.running)) set({ class: requestClass }, value);
  });
  gauge('jarvis_llm_queued', 'Local model requests waiting for a slot, per class', ['class'], (set) => {
    const current = stats();
    if (current) for (const [requestClass, value] of Object.entries(current.queued)) set({ class: requestClass }, value);
  });
  gauge('jarvis_llm_slots', 'Slots of the local model server as last read (slot use = jarvis_llm_in_flight summed over class / this)', [], (set) => {
    const slots = capacity?.()?.slots;
    if (slots !== undefined) set({}, slots);
  });
  gauge('jarvis_llm_canary_ok', 'Last canary verdict (1 ok, 0 failing; absent before the first run)', [], (set) => {
    const canary = stats()?.canary;
    if (canary) set({}, canary.ok ? 1 : 0);
  });
  gauge('jarvis_llm_cooldown_seconds', 'Seconds a provider is still skipped after a failure (0 = usable)', ['provider'], (set) => {
    const current = stats();
    if (!current) return;
    for (const provider of ['local', 'cloud']) {
      const cooldown = current.cooldowns.get(provider as 'local' | 'cloud');
      set({ provider }, cooldown ? Math.max(0, (cooldown.until - now()) / 1000) : 0);
    }
  });
  gauge('jarvis_llm_cache_lookups', 'Answer cache lookups since start', ['result'], (set) => {
    const current = stats();
    if (!current) return;
    set({ result: 'hit' }, current.cacheHits);
    set({ result: 'miss' }, current.cacheMisses);
  });
  const queueWait = new Histogram({
    name: 'jarvis_llm_queue_wait_seconds',
    help: 'Time a local model request waited for a slot in Jarvis, per class',
    labelNames: ['class'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  const calls = new Counter({
    name: 'jarvis_llm_calls_total',
    help: 'Model calls by provider and outcome (ok, cache-hit, error, offline)',
    labelNames: ['provider', 'outcome', 'code'],
    registers: [registry],
  });
  const escalations = new Counter({
    name: 'jarvis_llm_escalations_total',
    help: 'Requests answered by another provider than their default route',
    labelNames: ['from', 'to'],
    registers: [registry],
  });
  return {
    onEvent(event) {
      calls.inc({ provider: event.provider ?? 'none', outcome: event.outcome, code: event.code ?? '' });
      if (event.provider && event.latencyMs !== undefined) latency?.observe({ dependency: `llm-${event.provider}` }, event.latencyMs / 1000);
      if (event.escalation) escalations.inc({ from: event.escalation.from, to: event.escalation.to });
    },
    onQueueWait(ms, requestClass) {
      queueWait.observe({ class: requestClass }, ms / 1000);
    },
  };
}
