import { APICallError } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { AiSdkModelClient } from './ai-sdk-model-client.ts';
import { mapLlmError } from './map-llm-error.ts';

const apiError = (statusCode: number, body: unknown, headers: Record<string, string> = {}) =>
  new APICallError({
    message: 'x',
    url: 'http://127.0.0.1/v1',
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    responseBody: JSON.stringify(body),
    isRetryable: statusCode >= 429,
  });

describe('AiSdkModelClient with a scripted model', () => {
  it('makes exactly one provider call on a 429 (SDK retries off) and maps it with retry-after', async () => {
    const model = new MockLanguageModelV3({
      doStream: async () => {
        throw apiError(429, { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }, { 'retry-after': '30' });
      },
    });
    const client = new AiSdkModelClient({ provider: 'cloud', model: 'claude', label: 'Claude', simulated: false, languageModel: model, now: () => 0 });
    const result = await client.doComplete({ system: 's', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 100 });
    expect(result).toMatchObject({ ok: false, error: { code: 'LLM_RATE_LIMITED', details: { retryAfterMs: 30_000 } } });
    expect(model.doStreamCalls).toHaveLength(1);
  });

  it('streams text deltas and returns usage with cached tokens', async () => {
    const model = new MockLanguageModelV3({
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks: [
            { type: 'text-start', id: '1' },
            { type: 'text-delta', id: '1', delta: 'VM 104 ' },
            { type: 'text-delta', id: '1', delta: 'is up.' },
            { type: 'text-end', id: '1' },
            {
              type: 'finish',
              finishReason: { unified: 'stop', raw: 'stop' },
              usage: { inputTokens: { total: 50, noCache: 20, cacheRead: 30, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } },
            },
          ],
        }),
      }),
    });
    const deltas: string[] = [];
    const client = new AiSdkModelClient({ provider: 'local', model: 'qwen', label: 'Qwen', simulated: false, languageModel: model });
    const result = await client.doComplete({
      system: 's',
      messages: [{ role: 'user', content: 'vm 104?' }],
      maxOutputTokens: 64,
      onTextDelta: (delta) => deltas.push(delta),
    });
    expect(result).toMatchObject({ ok: true, value: { text: 'VM 104 is up.', finishReason: 'stop', inputTokens: 50, outputTokens: 5, cachedInputTokens: 30 } });
    expect(deltas).toEqual(['VM 104 ', 'is up.']);
    expect(model.doStreamCalls[0]!.maxOutputTokens).toBe(64);
  });
});

describe('mapLlmError', () => {
  it('maps llama-server and Anthropic error shapes to LLM_* codes', () => {
    expect(mapLlmError(apiError(400, { error: { type: 'exceed_context_size_error', n_prompt_tokens: 1500, n_ctx: 1024 } }), 'local', 0)).toMatchObject({
      code: 'LLM_CONTEXT_EXCEEDED',
      details: { nPromptTokens: 1500, nCtx: 1024 },
    });
    expect(mapLlmError(apiError(500, { error: { code: 500, message: 'Context size has been exceeded.', type: 'server_error' } }), 'local', 0).code).toBe(
      'LLM_CAPACITY',
    );
    expect(mapLlmError(apiError(500, { error: { message: 'other' } }), 'local', 0).code).toBe('LLM_UNAVAILABLE');
    expect(mapLlmError(apiError(529, { type: 'error', error: { type: 'overloaded_error' } }), 'cloud', 0).code).toBe('LLM_OVERLOADED');
    expect(mapLlmError(apiError(401, {}), 'cloud', 0)).toMatchObject({ code: 'LLM_AUTH', hint: expect.stringContaining('JARVIS_ANTHROPIC_API_KEY') });
    expect(mapLlmError(apiError(503, { error: { message: 'Loading model' } }), 'local', 0).code).toBe('LLM_UNAVAILABLE');
    expect(mapLlmError({ message: 'Context size has been exceeded.', code: 500 }, 'local', 0).code).toBe('LLM_CAPACITY');
  });
});
