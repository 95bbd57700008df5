import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { GatewayStats } from './create-model-gateway.ts';
import { registerLlmMetrics } from './llm-metrics.ts';

const STATS: GatewayStats = {
  spendUsd: { hourly: 0, daily: 0.5, monthly: 1 },
  capsUsd: { daily: 5 },
  running: { user: 1, background: 0 },
  queued: { user: 0, background: 2 },
  cooldowns: new Map(),
  cacheHits: 0,
  cacheMisses: 0,
  sharedPool: false,
};

describe('LLM metrics', () => {
  it('reports the canary verdict once a canary ran, and no sample (not a 0 "failing") before', async () => {
    let stats: GatewayStats = STATS;
    const registry = new Registry();
    registerLlmMetrics(
      registry,
      () => stats,
      () => 0,
    );
    const before = await registry.metrics();
    expect(before).not.toMatch(/^jarvis_llm_canary_ok /m);
    expect(before).not.toMatch(/^jarvis_llm_slots /m);
    stats = { ...STATS, canary: { ok: true, at: 0 } };
    expect(await registry.metrics()).toMatch(/^jarvis_llm_canary_ok 1$/m);
    stats = { ...STATS, canary: { ok: false, at: 1, detail: 'answered 104' } };
    expect(await registry.metrics()).toMatch(/^jarvis_llm_canary_ok 0$/m);
  });
});
