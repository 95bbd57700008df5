/**
 * The gateway over the wire: production AI SDK clients against the simulator's llama-server and
 * Anthropic fakes. Each test asserts what the fakes recorded and what the result says about who
 * answered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toModelToolSpec } from '../../src/app/agent/tool-specs.ts';
import { ALL_TOOLS } from '../../src/app/tools/index.ts';
import { cloudBodies, localBodies, startHarness, USAGE_TOOL, userRequest, type Harness, type HarnessOptions } from './gateway-harness.ts';

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});
async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const started = await startHarness(options);
  harnesses.push(started);
  return started;
}

describe('gateway over the wire', () => {
  it('reads slots and per-slot context from /props and /slots', async () => {
    const { handle } = await harness({ local: { slots: 4, ctx: 4096 } });
    expect(handle.capacity()).toMatchObject({ slots: 4, slotContext: 1024, supportsToolCalls: true, poolAmbiguous: true });
    expect(handle.gateway.status()).toMatchObject({ mode: 'hybrid', local: { up: true, slots: 4, slotContext: 1024 } });
  });

  it('sends a routine request to llama-server with parallel_tool_calls false, max_tokens and id_slot', async () => {
    const { handle, llama } = await harness();
    const result = await handle.gateway.complete(userRequest('How much memory does VM 104 use?', { tools: [USAGE_TOOL], conversationId: 'c1' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.origin).toMatchObject({ provider: 'local', model: 'qwen2.5-test' });
    expect(result.value.toolCalls[0]).toMatchObject({ name: 'get_resource_usage', input: { vmid: 104 } });
    const [body] = localBodies(llama);
    expect(body).toMatchObject({ parallel_tool_calls: false, max_tokens: 256, id_slot: expect.any(Number), stream: true });
  });

  it('the local model gets compact specs within its tool-token budget; Claude gets the full ones', async () => {
    const { handle, llama, anthropic } = await harness();
    const offered = ['search_logs', 'run_diagnostic', 'execute_remediation'].map((name) => toModelToolSpec(ALL_TOOLS.find((tool) => tool.name === name)!));
    const local = await handle.gateway.complete(userRequest('logs of pveproxy on agent2', { tools: offered }));
    expect(local.ok && local.value.origin.provider).toBe('local');
    const [body] = localBodies(llama);
    const sent = (body!['tools'] as { function: { name: string; description: string; parameters: unknown } }[]).map((tool) => tool.function);
    expect(sent[0]).toEqual({ name: 'search_logs', description: offered[0]!.compact!.description, parameters: offered[0]!.compact!.inputSchema });
    expect(sent.length).toBeLessThan(3);
    expect(local.ok && local.value.droppedTools).toEqual(offered.map((spec) => spec.name).filter((name) => !sent.some((tool) => tool.name === name)));
    const cloud = await handle.gateway.complete(userRequest('Why did agent2 go offline?', { category: 'complex', tools: offered }));
    expect(cloud.ok && cloud.value.origin.provider).toBe('cloud');
    expect(cloud.ok && cloud.value.droppedTools).toBeUndefined();
    const [cloudBody] = cloudBodies(anthropic);
    expect((cloudBody!['tools'] as { name: string; description: string }[]).map((tool) => [tool.name, tool.description])).toEqual(
      offered.map((spec) => [spec.name, spec.description]),
    );
  });

  it('sends complex work to Claude with cache_control on the system prompt and the tools', async () => {
    const { handle, anthropic } = await harness();
    const result = await handle.gateway.complete(userRequest('Why did agent2 go offline?', { category: 'complex', tools: [USAGE_TOOL] }));
    expect(result.ok && result.value.origin.provider).toBe('cloud');
    const [body] = cloudBodies(anthropic) as Array<{
      system: Array<{ cache_control?: unknown }>;
      tools: Array<{ cache_control?: unknown }>;
      max_tokens: number;
    }>;
    expect(body!.system.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    expect(body!.tools.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    expect(body!.max_tokens).toBe(512);
    expect(result.ok && result.value.usage.costUsd).toBeGreaterThan(0);
  });

  it('Claude 429 with retry-after -> answered locally, Claude cools down for the retry-after', async () => {
    const { handle, anthropic, llama, clock } = await harness();
    anthropic!.script.push({ error: { status: 429, type: 'rate_limit_error', retryAfterSeconds: 120 } });
    const first = await handle.gateway.complete(userRequest('analyse the load trend', { category: 'complex' }));
    expect(first.ok && first.value.origin.provider).toBe('local');
    expect(first.ok && first.value.escalation).toMatchObject({ from: 'cloud', to: 'local', reason: expect.stringContaining('rate limiting') });
    const second = await handle.gateway.complete(userRequest('analyse it again', { category: 'complex' }));
    expect(second.ok && second.value.origin.provider).toBe('local');
    expect(cloudBodies(anthropic)).toHaveLength(1);
    clock.now += 121_000;
    const third = await handle.gateway.complete(userRequest('and now?', { category: 'complex' }));
    expect(third.ok && third.value.origin.provider).toBe('cloud');
    expect(localBodies(llama)).toHaveLength(2);
  });

  it('Claude 529 overloaded -> local', async () => {
    const { handle, anthropic } = await harness();
    anthropic!.script.push({ error: { status: 529, type: 'overloaded_error' } });
    const result = await handle.gateway.complete(userRequest('plan the upgrade', { category: 'complex' }));
    expect(result.ok && result.value.origin.provider).toBe('local');
    expect(result.ok && result.value.escalation?.reason).toContain('overloaded');
  });

  it('Claude over budget -> local, and status names the cap and its reset', async () => {
    const { handle, anthropic } = await harness({ caps: { hourly: 0.000001 } });
    const result = await handle.gateway.complete(userRequest('Why is it slow?', { category: 'explicit-cloud' }));
    expect(result.ok && result.value.origin.provider).toBe('local');
    expect(result.ok && result.value.escalation?.reason).toMatch(/hourly/);
    expect(cloudBodies(anthropic)).toHaveLength(0);
  });

  it.each([
    ['a broken price', { inputPerMTok: -1, outputPerMTok: 1 }, /llm\.prices\.claude-test: inputPerMTok must be a number/],
    ['no price', null, /no price for claude-test in llm\.prices/],
  ])('%s for Claude disables only Claude, visibly; local still answers', async (_name, cloudPrice, reason) => {
    const { handle, anthropic } = await harness({ cloudPrice });
    expect(handle.gateway.status()).toMatchObject({
      mode: 'local-only',
      local: { up: true },
      cloud: { model: 'claude-test', up: false, reason: expect.stringMatching(reason) },
    });
    const answer = await handle.gateway.complete(userRequest('Why is it slow?', { category: 'complex' }));
    expect(answer.ok && answer.value.origin.provider).toBe('local');
    expect(answer.ok && answer.value.escalation).toMatchObject({ from: 'cloud', to: 'local', reason: expect.stringMatching(reason) });
    expect(cloudBodies(anthropic)).toHaveLength(0);
  });

  it('writes one ledger row per call: tokens in/out, cached tokens, cost, model, category, purpose, audit id', async () => {
    const { handle, anthropic, ledgerRows } = await harness();
    anthropic!.script.push({ text: 'It is fine.', cacheReadTokens: 40 });
    const result = await handle.gateway.complete(userRequest('Why is it slow?', { category: 'complex', auditId: 'chat:c1:m1' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const rows = ledgerRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      state: 'settled',
      provider: 'cloud',
      model: 'claude-test',
      category: 'complex',
      purpose: 'chat',
      audit_id: 'chat:c1:m1',
      tokens_in: result.value.usage.inputTokens,
      tokens_out: result.value.usage.outputTokens,
      tokens_cached: 40,
      cost_usd: result.value.usage.costUsd,
    });
    expect(rows[0]!['tokens_out']).toBeGreaterThan(0);
    expect(rows[0]!['cost_usd']).toBeGreaterThan(0);
  });

  it('local down -> a user request goes to Claude; background work gets no model', async () => {
    const { handle, anthropic } = await harness({ localDown: true });
    const user = await handle.gateway.complete(userRequest('is the cluster ok?'));
    expect(user.ok && user.value.origin.provider).toBe('cloud');
    expect(user.ok && user.value.escalation).toMatchObject({ from: 'local', to: 'cloud' });
    const background = await handle.gateway.complete(userRequest('summarise findings', { class: 'background', purpose: 'monitor-analysis' }));
    expect(background).toMatchObject({ ok: false, error: { code: 'LLM_UNAVAILABLE', details: { offline: true } } });
    expect(cloudBodies(anthropic)).toHaveLength(1);
  });

  it('local failing mid-call (500) -> the user request is answered by Claude and local cools down', async () => {
    const { handle, llama } = await harness();
    llama!.script.push({ error: { status: 500, message: 'boom' } });
    const result = await handle.gateway.complete(userRequest('status please'));
    expect(result.ok && result.value.origin.provider).toBe('cloud');
    expect(handle.stats().cooldowns.has('local')).toBe(true);
  });

  it('no model at all -> LLM_UNAVAILABLE offline', async () => {
    const { handle } = await harness({ localDown: true, cloud: false });
    const result = await handle.gateway.complete(userRequest('hello'));
    expect(result).toMatchObject({ ok: false, error: { code: 'LLM_UNAVAILABLE', details: { offline: true } } });
    expect(handle.gateway.status().mode).toBe('down');
  });

  it('400 exceed_context_size_error -> trims the oldest history and retries once', async () => {
    const { handle, llama } = await harness();
    llama!.script.push({ error: { status: 400, type: 'exceed_context_size_error', message: 'request exceeds the available context size' } });
    const request = userRequest('and vm 105?', {
      messages: [
        { role: 'user', content: 'how is vm 104?' },
        { role: 'assistant', content: 'VM 104 is running.' },
        { role: 'user', content: 'and vm 105?' },
      ],
    });
    const result = await handle.gateway.complete(request);
    expect(result.ok).toBe(true);
    const bodies = localBodies(llama) as Array<{ messages: unknown[] }>;
    expect(bodies).toHaveLength(2);
    expect(bodies[1]!.messages.length).toBeLessThan(bodies[0]!.messages.length);
  });

  it('a real slot overflow is trimmed before sending (the prompt never exceeds the slot)', async () => {
    const { handle, llama } = await harness({ local: { slots: 4, ctx: 4096 } });
    const history = Array.from({ length: 20 }, (_, index) => [
      { role: 'user' as const, content: `question ${index} ${'about the cluster '.repeat(20)}` },
      { role: 'assistant' as const, content: `answer ${index} ${'all fine '.repeat(20)}` },
    ]).flat();
    const result = await handle.gateway.complete(userRequest('last question', { messages: [...history, { role: 'user', content: 'last question' }] }));
    expect(result.ok).toBe(true);
    const [body] = localBodies(llama) as Array<{ messages: unknown[] }>;
    expect(body!.messages.length).toBeLessThan(history.length + 2);
  });

  it('shared-pool 500 "Context size has been exceeded." is a capacity error: learned, queued, retried once', async () => {
    const { handle, llama } = await harness({ local: { slots: 2, ctx: 2048, kvUnified: true } });
    // One call calibrates the token estimate on the server's count.
    expect((await handle.gateway.complete(userRequest('status of the node agent1 please '.repeat(20)))).ok).toBe(true);
    // Two requests that each fit the 2048-token pool but together overrun it.
    const words = 'status of the node agent1 please '.repeat(170);
    llama!.script.push({ match: 'first', text: 'one', delayMs: 300 }, { match: 'second', text: 'two', delayMs: 300 });
    const both = await Promise.all([
      handle.gateway.complete(userRequest(`${words} first`, { maxOutputTokens: 100 })),
      handle.gateway.complete(userRequest(`${words} second`, { maxOutputTokens: 100 })),
    ]);
    expect(both.every((result) => result.ok && result.value.origin.provider === 'local')).toBe(true);
    expect(handle.stats().sharedPool).toBe(true);
    expect(localBodies(llama).length).toBeGreaterThanOrEqual(5);
  });

  it('a tool call truncated at max_tokens is retried with more room, then reported', async () => {
    const { handle, llama } = await harness();
    llama!.script.push(
      { toolCalls: [{ name: 'get_resource_usage', arguments: { vmid: 104 } }], truncateAfterTokens: 3 },
      { toolCalls: [{ name: 'get_resource_usage', arguments: { vmid: 104 } }], truncateAfterTokens: 3 },
    );
    const result = await handle.gateway.complete(userRequest('memory of vm 104', { tools: [USAGE_TOOL], maxOutputTokens: 64 }));
    expect(result).toMatchObject({ ok: false, error: { code: 'LLM_BAD_RESPONSE', details: { truncated: true } } });
    const bodies = localBodies(llama) as Array<{ max_tokens: number }>;
    expect(bodies.map((body) => body.max_tokens)).toEqual([64, 128]);
  });

  it('caches a read-only answer for 5 minutes: hit says so, a new tool result or expiry misses', async () => {
    const { handle, llama, clock } = await harness();
    const request = userRequest('Is the cluster healthy?', { cacheKeyExtra: 'hash-a' });
    const first = await handle.gateway.complete(request);
    const second = await handle.gateway.complete(userRequest('is the  cluster HEALTHY?', { cacheKeyExtra: 'hash-a' }));
    expect(first.ok && first.value.cached).toBe(false);
    expect(second.ok && second.value).toMatchObject({
      cached: true,
      origin: { provider: 'cache', label: expect.stringContaining('cached') },
      usage: { costUsd: 0 },
    });
    await handle.gateway.complete(userRequest('Is the cluster healthy?', { cacheKeyExtra: 'hash-b' }));
    clock.now += 301_000;
    const expired = await handle.gateway.complete(request);
    expect(expired.ok && expired.value.cached).toBe(false);
    expect(localBodies(llama)).toHaveLength(3);
  });

  it('scheduler: 4 slots, 10 background + 1 user -> the user starts at once', async () => {
    const { handle, llama } = await harness({ local: { slots: 4, ctx: 16384 }, reservedUserSlots: 1 });
    llama!.script.push(...Array.from({ length: 10 }, () => ({ match: 'background job', text: 'done', delayMs: 30_000 })));
    const controller = new AbortController();
    const background = Array.from({ length: 10 }, (_, index) =>
      handle.gateway.complete(userRequest(`background job ${index}`, { class: 'background', purpose: 'monitor-analysis', signal: controller.signal })),
    );
    await waitFor(() => llama!.state().busySlots.length === 3);
    expect(handle.stats().queued.background).toBe(7);
    const user = await handle.gateway.complete(userRequest('is vm 104 up?'));
    expect(user.ok && user.value.origin.provider).toBe('local');
    // Served while the three background requests still hold their slots; the server never queued it.
    expect(llama!.state().busySlots.length).toBe(3);
    expect(llama!.state().queued).toBe(0);
    controller.abort();
    expect((await Promise.all(background)).every((result) => !result.ok)).toBe(true);
  });

  it('scheduler: with no reserved slot a user request preempts the youngest background request, which is requeued', async () => {
    const { handle, llama } = await harness({ local: { slots: 2, ctx: 8192 }, reservedUserSlots: 0 });
    llama!.script.push(
      { match: 'bg-a', text: 'a done', delayMs: 30_000 },
      { match: 'bg-b', text: 'b done', delayMs: 200 },
      { match: 'bg-b', text: 'b done after requeue' },
    );
    const controller = new AbortController();
    const a = handle.gateway.complete(userRequest('bg-a', { class: 'background', signal: controller.signal }));
    await waitFor(() => llama!.state().busySlots.length === 1);
    const b = handle.gateway.complete(userRequest('bg-b', { class: 'background' }));
    await waitFor(() => llama!.state().busySlots.length === 2);
    const user = await handle.gateway.complete(userRequest('is vm 104 up?'));
    expect(user.ok && user.value.origin.provider).toBe('local');
    const requeued = await b;
    expect(requeued.ok && requeued.value.text).toBe('b done after requeue');
    controller.abort();
    await a;
  });

  it('canary: a wrong answer marks the local model failing, shifts routine work to Claude, and shows in status', async () => {
    const { handle, llama } = await harness();
    llama!.script.push({ match: 'VMID of the management VM', text: '104' });
    const state = await handle.runCanary();
    expect(state).toMatchObject({ ok: false, detail: 'expected 103, got 104' });
    expect(handle.gateway.status()).toMatchObject({ canary: { ok: false }, local: { up: false, reason: expect.stringContaining('canary') } });
    const routed = await handle.gateway.complete(userRequest('is the cluster ok?'));
    expect(routed.ok && routed.value).toMatchObject({
      origin: { provider: 'cloud' },
      escalation: { from: 'local', reason: expect.stringContaining('canary') },
    });
    llama!.script.push({ match: 'VMID of the management VM', text: '103' });
    expect(await handle.runCanary()).toMatchObject({ ok: true });
    const canaryBody = localBodies(llama).find((body) => JSON.stringify(body).includes('VMID of the management VM'));
    expect(canaryBody).toMatchObject({ max_tokens: 16 });
  });

  it('a pinned conversation keeps its model even when the other one would be preferred', async () => {
    const { handle, anthropic } = await harness();
    const first = await handle.gateway.complete(userRequest('is the cluster ok?', { conversationId: 'pin-1' }));
    expect(first.ok && first.value.origin.provider).toBe('local');
    const second = await handle.gateway.complete(userRequest('why is agent2 slow?', { conversationId: 'pin-1', category: 'complex' }));
    expect(second.ok && second.value.origin.provider).toBe('local');
    expect(cloudBodies(anthropic)).toHaveLength(0);
  });

  it('records every call in the spend ledger with tokens and cost', async () => {
    const { handle } = await harness();
    await handle.gateway.complete(userRequest('why?', { category: 'complex', auditId: 'audit-1' }));
    expect(handle.stats().spendUsd.daily).toBeGreaterThan(0);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached');
}

describe('gateway over the wire: one tool call per step', () => {
  it('keeps only the first tool call when the server ignores parallel_tool_calls:false', async () => {
    const started = await startHarness();
    try {
      started.llama!.script.push({
        toolCalls: [
          { name: 'get_resource_usage', arguments: { vmid: 104 } },
          { name: 'get_resource_usage', arguments: { vmid: 105 } },
        ],
      });
      const result = await started.handle.gateway.complete(userRequest('memory of vm 104 and 105', { tools: [USAGE_TOOL] }));
      expect(result.ok && result.value.toolCalls).toEqual([expect.objectContaining({ name: 'get_resource_usage', input: { vmid: 104 } })]);
    } finally {
      await started.close();
    }
  });
});
