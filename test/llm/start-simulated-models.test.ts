/**
 * `jarvis start` with no cluster and no model configured: the embedded simulator's llama-server
 * and Claude fakes are wired in and every answer says "simulated model"; /metrics carries the
 * gateway's series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestJarvis, type TestJarvis } from '../helpers/start-test-jarvis.ts';

let jarvis: TestJarvis;
beforeAll(async () => {
  jarvis = await startTestJarvis({ prefix: 'jarvis-llm-' });
});
afterAll(async () => {
  await jarvis.close();
});

describe('jarvis start with no model configured', () => {
  it('wires the simulated models and labels every answer "simulated model"', async () => {
    const models = jarvis.running.jarvis.models;
    expect(models).toBeDefined();
    await models!.refreshCapacity();
    expect(models!.gateway.status()).toMatchObject({ mode: 'simulated', local: { model: 'simulated-model', up: true, slots: 4 } });
    const local = await models!.gateway.complete({
      purpose: 'chat',
      class: 'user',
      category: 'routine',
      system: 'You are Jarvis.',
      messages: [{ role: 'user', content: 'is the cluster ok?' }],
    });
    expect(local.ok && local.value.origin).toEqual({ provider: 'local', model: 'simulated-model', label: 'simulated model', simulated: true });
    const cloud = await models!.gateway.complete({
      purpose: 'chat',
      class: 'user',
      category: 'complex',
      system: 'You are Jarvis.',
      messages: [{ role: 'user', content: 'why is agent2 slow?' }],
    });
    expect(cloud.ok && cloud.value.origin).toMatchObject({ provider: 'cloud', label: 'simulated model', simulated: true });
  });

  it('exposes spend, in-flight, queue wait and cooldown series on /metrics, and no canary verdict (no canary runs against the simulated model)', async () => {
    // build-model-gateway configures no canary for the simulated model (it cannot read a number from its prompt).
    expect(await jarvis.running.jarvis.models!.runCanary()).toBeUndefined();
    const text = await jarvis.running.jarvis.metrics.registry.metrics();
    expect(text).toContain('# TYPE jarvis_llm_canary_ok gauge');
    expect(text).not.toMatch(/^jarvis_llm_canary_ok /m);
    for (const series of [
      'jarvis_llm_spend_usd',
      'jarvis_llm_cap_usd{cap="daily"}',
      'jarvis_llm_in_flight',
      'jarvis_llm_queue_wait_seconds',
      'jarvis_llm_cooldown_seconds',
      'jarvis_llm_calls_total',
    ])
      expect(text).toContain(series);
  });

  it('times each model call as a dependency: jarvis_dependency_latency_seconds{dependency="llm-local"|"llm-cloud"}', async () => {
    const text = await jarvis.running.jarvis.metrics.registry.metrics();
    for (const dependency of ['llm-local', 'llm-cloud'])
      expect(text).toMatch(new RegExp(`^jarvis_dependency_latency_seconds_count\\{dependency="${dependency}"\\} [1-9]`, 'm'));
  });
});
