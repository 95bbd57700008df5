/**
 * The simulator's LLM fakes through the real provider packages (AI SDK 6, retries off) and raw
 * HTTP: the simulated model's tool loop, streaming usage, scripting, request recording, FIFO
 * slots, context errors, loading/auth, Anthropic events and errors. Wire shapes shared with the
 * real llama-server are pinned separately by test/llm-contract.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/sim/index.ts';
import { startAnthropicFake, startLlamaServerFake, type AnthropicFake, type LlamaServerFake } from '../../src/sim/llm/index.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function llama(options: Parameters<typeof startLlamaServerFake>[0] = {}): Promise<LlamaServerFake> {
  const fake = await startLlamaServerFake(options);
  closers.push(() => fake.close());
  return fake;
}
async function anthropicFake(apiKey = 'sk-ant-test'): Promise<AnthropicFake> {
  const fake = await startAnthropicFake({ apiKey });
  closers.push(() => fake.close());
  return fake;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const tools = {
  get_resource_usage: tool({
    description: 'CPU, memory and disk usage of a VM or container by VMID',
    inputSchema: jsonSchema<{ vmid: number }>({ type: 'object', properties: { vmid: { type: 'integer' } }, required: ['vmid'] }),
    execute: async ({ vmid }) => ({ vmid, cpu: 0.42 }),
  }),
  search_logs: tool({
    description: 'Search the cluster log for a text',
    inputSchema: jsonSchema<{ query: string }>({ type: 'object', properties: { query: { type: 'string' } }, required: ['query'] }),
    execute: async () => ({ lines: [] }),
  }),
};

describe('llama-server fake', () => {
  it('runs the AI SDK tool loop with the simulated model and records what the client sent', async () => {
    const fake = await llama();
    const provider = createOpenAICompatible({ name: 'llama', baseURL: `${fake.url}/v1`, includeUsage: true });
    const result = await generateText({
      model: provider('local'),
      maxRetries: 0,
      tools,
      stopWhen: stepCountIs(3),
      maxOutputTokens: 200,
      providerOptions: { llama: { parallel_tool_calls: false, id_slot: 2 } },
      prompt: 'What is the resource usage of VM 105?',
    });
    expect(result.steps[0]!.toolCalls).toMatchObject([{ toolName: 'get_resource_usage', input: { vmid: 105 } }]);
    expect(result.text).toContain('Simulated model');
    expect(result.text).toContain('0.42');
    const sent = fake.requests.list().filter((entry) => entry.path === '/v1/chat/completions');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.body).toMatchObject({ parallel_tool_calls: false, id_slot: 2, max_tokens: 200 });
    // The second call shares the first one's prompt prefix on the same pinned slot: reported as cached.
    expect(result.steps[1]!.usage.inputTokenDetails.cacheReadTokens).toBeGreaterThan(0);
  });

  it('streams deltas, tool calls and a final usage chunk, and honours a scripted reply', async () => {
    const fake = await llama();
    fake.script.push({ toolCalls: [{ name: 'search_logs', arguments: { query: 'oom' } }] });
    const provider = createOpenAICompatible({ name: 'llama', baseURL: `${fake.url}/v1`, includeUsage: true });
    const stream = streamText({ model: provider('local'), maxRetries: 0, tools, prompt: 'anything' });
    const calls = await stream.toolCalls;
    expect(calls).toMatchObject([{ toolName: 'search_logs', input: { query: 'oom' } }]);
    const usage = await stream.usage;
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(await stream.finishReason).toBe('tool-calls');
  });

  it('answers 400 exceed_context_size_error (plain JSON even for streams) and finish_reason length past the slot', async () => {
    const fake = await llama({ slots: 4, ctx: 1024 });
    const big = 'word '.repeat(400);
    const exceeded = await post(`${fake.url}/v1/chat/completions`, { stream: true, messages: [{ role: 'user', content: big }] });
    expect(exceeded.status).toBe(400);
    expect(exceeded.headers.get('content-type')).toContain('application/json');
    const body = (await exceeded.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ code: 400, type: 'exceed_context_size_error', n_ctx: 256 });
    expect(body.error.n_prompt_tokens).toBeGreaterThan(256);
    fake.script.push({ text: 'long answer '.repeat(300) });
    const cut = await post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'hi' }] });
    const cutBody = (await cut.json()) as { choices: { finish_reason: string }[]; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(cutBody.choices[0]!.finish_reason).toBe('length');
    expect(cutBody.usage.prompt_tokens + cutBody.usage.completion_tokens).toBe(256);
  });

  it('queues FIFO over its slots (no 503), frees a slot when the client aborts, and 503s only /slots?fail_on_no_slot', async () => {
    const fake = await llama({ slots: 2 });
    fake.script.push({ text: 'a', delayMs: 60_000 }, { text: 'b', delayMs: 60_000 }, { text: 'third' });
    const aborts = [new AbortController(), new AbortController()];
    const first = post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: '1' }] }).catch(() => undefined);
    await expect.poll(() => fake.state().busySlots.length).toBe(1);
    const second = fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ messages: [{ role: 'user', content: '2' }] }),
      signal: aborts[1]!.signal,
    }).catch(() => undefined);
    await expect.poll(() => fake.state().busySlots.length).toBe(2);
    const third = post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: '3' }] });
    await expect.poll(() => fake.state().queued).toBe(1);
    expect((await fetch(`${fake.url}/slots?fail_on_no_slot=1`)).status).toBe(503);
    const slots = (await (await fetch(`${fake.url}/slots`)).json()) as { id: number; is_processing: boolean; id_task: number }[];
    expect(slots.map((slot) => slot.is_processing)).toEqual([true, true]);
    aborts[1]!.abort();
    const answer = (await (await third).json()) as { choices: { message: { content: string } }[] };
    expect(answer.choices[0]!.message.content).toBe('third');
    void first;
    void second;
  });

  it('fails every in-flight request with 500 when a shared pool is overrun', async () => {
    const fake = await llama({ slots: 2, ctx: 300, kvUnified: true });
    expect(((await (await fetch(`${fake.url}/props`)).json()) as { default_generation_settings: { n_ctx: number } }).default_generation_settings.n_ctx).toBe(
      300,
    );
    fake.script.push({ text: 'x '.repeat(200), delayMs: 60_000 }, { text: 'y '.repeat(200) });
    const first = post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'one' }] });
    await expect.poll(() => fake.state().busySlots.length).toBe(1);
    const second = post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'two' }] });
    for (const response of await Promise.all([first, second])) {
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: { code: 500, message: 'Context size has been exceeded.' } });
    }
  });

  it('a stream already under way when the shared pool is overrun gets the 500 in-band, without [DONE]', async () => {
    const fake = await llama({ slots: 2, ctx: 300, kvUnified: true });
    fake.script.push({ text: 'x '.repeat(200), delayMs: 60_000 }, { text: 'y '.repeat(200) });
    const first = post(`${fake.url}/v1/chat/completions`, { stream: true, messages: [{ role: 'user', content: 'one' }] });
    await expect.poll(() => fake.state().busySlots.length).toBe(1);
    const second = await post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'two' }] });
    expect(second.status).toBe(500);
    const streamed = await first;
    expect(streamed.status).toBe(200);
    const text = await streamed.text();
    expect(text).toContain('data: {"error":{"code":500,"message":"Context size has been exceeded.","type":"server_error"}}');
    expect(text).not.toContain('[DONE]');
  });

  it('503 while loading (health too), 401 with an api key everywhere but /health', async () => {
    const fake = await llama({ apiKey: 'secret', loading: true });
    expect((await fetch(`${fake.url}/health`)).status).toBe(503);
    expect(await (await fetch(`${fake.url}/health`)).json()).toMatchObject({ error: { code: 503, message: 'Loading model' } });
    fake.setLoading(false);
    expect((await fetch(`${fake.url}/health`)).status).toBe(200);
    for (const path of ['/props', '/slots', '/metrics']) expect((await fetch(`${fake.url}${path}`)).status).toBe(401);
    expect((await post(`${fake.url}/tokenize`, { content: 'x' })).status).toBe(401);
    expect((await post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'x' }] })).status).toBe(401);
    const ok = await fetch(`${fake.url}/props`, { headers: { authorization: 'Bearer secret' } });
    expect(((await ok.json()) as { total_slots: number }).total_slots).toBe(4);
    const metrics = await (await fetch(`${fake.url}/metrics`, { headers: { authorization: 'Bearer secret' } })).text();
    expect(metrics).toContain('llamacpp:requests_processing 0');
    expect(fake.requests.list().every((entry) => entry.headers.authorization === undefined || entry.headers.authorization === '<redacted>')).toBe(true);
  });

  it('a tool call cut by max_tokens comes back as a call with cut arguments and finish_reason length', async () => {
    const fake = await llama();
    fake.script.push({ toolCalls: [{ name: 'search_logs', arguments: { query: 'a long query about many things on many nodes' } }] });
    const response = await post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'x' }], max_tokens: 20 });
    const body = (await response.json()) as {
      choices: { finish_reason: string; message: { content: string; tool_calls: { function: { name: string; arguments: string } }[] } }[];
    };
    expect(body.choices[0]!.finish_reason).toBe('length');
    const call = body.choices[0]!.message.tool_calls[0]!;
    expect(call.function.name).toBe('search_logs');
    expect(() => JSON.parse(call.function.arguments)).toThrow();
    expect(body.choices[0]!.message.content).toBe('');
  });

  it('does not enforce parallel_tool_calls:false (like b11669): a reply with two calls returns both', async () => {
    const fake = await llama();
    fake.script.push({
      toolCalls: [
        { name: 'manage_vm', arguments: { action: 'stop' } },
        { name: 'manage_vm', arguments: { action: 'start' } },
      ],
    });
    const body = (await (await post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'x' }], parallel_tool_calls: false })).json()) as {
      choices: { finish_reason: string; message: { tool_calls: unknown[] } }[];
    };
    expect(body.choices[0]!.finish_reason).toBe('tool_calls');
    expect(body.choices[0]!.message.tool_calls).toHaveLength(2);
    expect(fake.requests.list().at(-1)!.body).toMatchObject({ parallel_tool_calls: false });
  });

  it('never crashes on bad input', async () => {
    const fake = await llama();
    const bad = await fetch(`${fake.url}/v1/chat/completions`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    expect((await post(`${fake.url}/v1/chat/completions`, { messages: 'x' })).status).toBe(400);
    // Like the real server: an id_slot out of range means any slot.
    expect((await post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'x' }], id_slot: 99 })).status).toBe(200);
    expect((await post(`${fake.url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'x' }] })).status).toBe(200);
  });
});

describe('Anthropic fake', () => {
  it('runs the tool loop (tool_use -> tool_result -> end_turn) and records cache_control and max_tokens', async () => {
    const fake = await anthropicFake();
    const anthropic = createAnthropic({ baseURL: `${fake.url}/v1`, apiKey: 'sk-ant-test' });
    const result = await generateText({
      model: anthropic('claude-sonnet-4-5'),
      maxRetries: 0,
      tools,
      stopWhen: stepCountIs(3),
      maxOutputTokens: 300,
      messages: [
        { role: 'system', content: 'persona '.repeat(1200), providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
        { role: 'user', content: 'resource usage of VM 101 please' },
      ],
    });
    expect(result.steps[0]!.toolCalls).toMatchObject([{ toolName: 'get_resource_usage', input: { vmid: 101 } }]);
    expect(result.text).toContain('Simulated model');
    const sent = fake.requests.list().map((entry) => entry.body as { max_tokens: number; system: { cache_control?: unknown }[] });
    expect(sent[0]!.max_tokens).toBe(300);
    expect(sent[0]!.system[0]!.cache_control).toEqual({ type: 'ephemeral' });
    expect(result.steps[0]!.usage.inputTokenDetails.cacheWriteTokens).toBeGreaterThan(1024);
    expect(result.steps[1]!.usage.inputTokenDetails.cacheReadTokens).toBeGreaterThan(1024);
  });

  it('streams text and tool_use with input_json_delta', async () => {
    const fake = await anthropicFake();
    fake.script.push({ text: 'Checking.', toolCalls: [{ name: 'search_logs', arguments: { query: 'disk full on agent1' } }] });
    const raw = await (
      await post(
        `${fake.url}/v1/messages`,
        { model: 'm', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'x' }] },
        { 'x-api-key': 'sk-ant-test' },
      )
    ).text();
    const events = [...raw.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    expect(events).toEqual(expect.arrayContaining(['content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta']));
    expect(raw).toContain('"type":"input_json_delta"');
    expect(raw).toContain('"stop_reason":"tool_use"');
    fake.script.push({ toolCalls: [{ name: 'search_logs', arguments: { query: 'x' } }] });
    const anthropic = createAnthropic({ baseURL: `${fake.url}/v1`, apiKey: 'sk-ant-test' });
    const stream = streamText({ model: anthropic('claude-sonnet-4-5'), maxRetries: 0, tools, prompt: 'logs' });
    expect(await stream.toolCalls).toMatchObject([{ toolName: 'search_logs', input: { query: 'x' } }]);
  });

  it('scripted 429 carries retry-after, 529 is overloaded_error, a wrong key is 401', async () => {
    const fake = await anthropicFake();
    fake.script.push({ error: { status: 429, retryAfterSeconds: 17 } }, { error: { status: 529 } });
    const anthropic = createAnthropic({ baseURL: `${fake.url}/v1`, apiKey: 'sk-ant-test' });
    const call = () => generateText({ model: anthropic('claude-sonnet-4-5'), maxRetries: 0, prompt: 'hi' });
    const limited = await call().catch((error: unknown) => error);
    expect(APICallError.isInstance(limited)).toBe(true);
    expect((limited as APICallError).statusCode).toBe(429);
    expect((limited as APICallError).responseHeaders?.['retry-after']).toBe('17');
    expect((limited as APICallError).responseBody).toContain('rate_limit_error');
    const overloaded = (await call().catch((error: unknown) => error)) as APICallError;
    expect(overloaded.statusCode).toBe(529);
    expect(overloaded.responseBody).toContain('overloaded_error');
    const wrong = createAnthropic({ baseURL: `${fake.url}/v1`, apiKey: 'nope' });
    const denied = (await generateText({ model: wrong('m'), maxRetries: 0, prompt: 'hi' }).catch((error: unknown) => error)) as APICallError;
    expect(denied.statusCode).toBe(401);
  });
});

describe('startSimulator({ llm: true })', () => {
  it('serves both fakes and scripts them through the admin API', async () => {
    const sim = await startSimulator({ llm: true, authDelayMs: 0, metricsIntervalMs: 0 });
    closers.push(() => sim.close());
    const llm = sim.llm!;
    expect((await fetch(`${llm.localUrl}/health`)).status).toBe(200);
    expect((await post(`${sim.adminUrl}/llm/local/script`, { text: 'scripted hello' })).status).toBe(201);
    expect((await post(`${sim.adminUrl}/llm/local/script`, { text: 1 })).status).toBe(400);
    const answer = (await (await post(`${llm.localUrl}/v1/chat/completions`, { messages: [{ role: 'user', content: 'hi' }] })).json()) as {
      choices: { message: { content: string } }[];
    };
    expect(answer.choices[0]!.message.content).toBe('scripted hello');
    const recorded = (await (await fetch(`${sim.adminUrl}/llm/local/requests`)).json()) as { path: string }[];
    expect(recorded.map((entry) => entry.path)).toContain('/v1/chat/completions');
    expect((await post(`${sim.adminUrl}/llm/local/loading`, { loading: true })).status).toBe(200);
    expect((await fetch(`${llm.localUrl}/health`)).status).toBe(503);
    expect((await post(`${sim.adminUrl}/llm/cloud/script`, { error: { status: 529 } })).status).toBe(201);
    expect(
      (await post(`${llm.cloudUrl}/v1/messages`, { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'x-api-key': llm.cloudApiKey }))
        .status,
    ).toBe(529);
  });
});
