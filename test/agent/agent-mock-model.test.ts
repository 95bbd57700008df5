/**
 * The agent loop on the REAL gateway (layers, scheduler, budget, routing) and the production
 * AI SDK client, with the AI SDK's own scripted model (`MockLanguageModelV3` from `ai/test`) in
 * place of a server: what the SDK hands the model (persona as the system message, the compact
 * tool specs, the framed tool result, the repair feedback) and what the loop does with its answers
 * (step bound, repair, stop on a proposal that needs a human, every answer DTO field).
 */
import type { LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { APICallError } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterEach, describe, expect, it } from 'vitest';
import { AiSdkModelClient } from '../../src/adapters/llm/ai-sdk-model-client.ts';
import { openDatabase } from '../../src/adapters/sqlite/open-database.ts';
import { SqliteSpendLedger } from '../../src/adapters/sqlite/sqlite-spend-ledger.ts';
import type { AgentDeps } from '../../src/app/agent/agent-types.ts';
import { ReadAnswerPlans } from '../../src/app/agent/read-answer-plans.ts';
import { chatTurnAuditId, runAgentTurn, type AgentTurnOutcome } from '../../src/app/agent/run-agent-turn.ts';
import { createModelGateway, type ModelGatewayHandle } from '../../src/app/llm/create-model-gateway.ts';
import { ALL_TOOLS } from '../../src/app/tools/index.ts';
import { PERSONA, PERSONA_VERSION } from '../../src/core/agent/persona.ts';
import { ok } from '../../src/core/errors.ts';
import type { SpendCaps } from '../../src/core/llm/budget-caps.ts';
import { ChatAnswerSchema } from '../../src/protocol/chat.ts';
import { makeContext } from '../tools/make-context.ts';

type Reply = { text: string } | { tool: string; input: unknown };

function stream(reply: Reply): { stream: ReadableStream<LanguageModelV3StreamPart> } {
  const usage = { inputTokens: { total: 300, noCache: 300, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 20, text: 20, reasoning: 0 } };
  const parts: LanguageModelV3StreamPart[] =
    'text' in reply
      ? [
          { type: 'stream-start', warnings: [] },
          { type: 'text-start', id: 't' },
          { type: 'text-delta', id: 't', delta: reply.text },
          { type: 'text-end', id: 't' },
          { type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } },
        ]
      : [
          { type: 'stream-start', warnings: [] },
          { type: 'tool-call', toolCallId: `call-${Math.random().toString(36).slice(2)}`, toolName: reply.tool, input: JSON.stringify(reply.input) },
          { type: 'finish', usage, finishReason: { unified: 'tool-calls', raw: 'tool_calls' } },
        ];
  return { stream: new ReadableStream({ start: (controller) => (parts.forEach((part) => controller.enqueue(part)), controller.close()) }) };
}

const handles: ModelGatewayHandle[] = [];
afterEach(() => handles.splice(0).forEach((handle) => handle.stop()));

interface CloudSetup {
  readonly replies: (call: number) => Reply;
  /** The cloud call fails like a server that is down (HTTP 503). */
  readonly down?: boolean;
  /** Spend caps (USD); a tiny one puts Claude over budget. */
  readonly caps?: SpendCaps;
}

function setup(replies: Reply[] | ((call: number) => Reply), tools = ['get_resource_usage', 'manage_vm'], cloudSetup?: CloudSetup) {
  const calls: LanguageModelV3CallOptions[] = [];
  const cloudCalls: LanguageModelV3CallOptions[] = [];
  const cloudModel = new MockLanguageModelV3({
    provider: 'mock',
    modelId: 'mock-claude',
    doStream: async (options) => {
      cloudCalls.push(options);
      if (cloudSetup?.down)
        throw new APICallError({
          message: 'Service Unavailable',
          url: 'http://127.0.0.1:1/v1/messages',
          requestBodyValues: {},
          statusCode: 503,
          isRetryable: true,
        });
      return stream(cloudSetup!.replies(cloudCalls.length - 1));
    },
  });
  const model = new MockLanguageModelV3({
    provider: 'mock',
    modelId: 'mock-qwen',
    doStream: async (options) => {
      calls.push(options);
      const index = calls.length - 1;
      return stream(typeof replies === 'function' ? replies(index) : replies[Math.min(index, replies.length - 1)]!);
    },
  });
  const client = new AiSdkModelClient({
    provider: 'local',
    model: 'mock-qwen',
    label: 'Mock Qwen (local)',
    simulated: false,
    languageModel: model,
    toolTokenBudget: 256,
  });
  const now = Date.parse('2026-12-04T15:00:00Z');
  const database = openDatabase(':memory:');
  const ledger = new SqliteSpendLedger(database);
  const handle = createModelGateway({
    ...(cloudSetup
      ? {
          cloud: {
            client: new AiSdkModelClient({ provider: 'cloud', model: 'mock-claude', label: 'Mock Claude', simulated: false, languageModel: cloudModel }),
            price: { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 },
            contextTokens: 32_000,
            defaultMaxOutputTokens: 512,
          },
        }
      : {}),
    local: {
      client,
      probe: { probe: async () => ok({ slots: 4, slotContext: 8192, supportsToolCalls: true, poolAmbiguous: false }), health: async () => ok('ok' as const) },
      kvUnified: false,
      reservedUserSlots: 1,
      backgroundWaitMs: 10_000,
      pinSlots: false,
      defaultMaxOutputTokens: 256,
      refreshMs: 600_000,
    },
    ledger,
    caps: cloudSetup?.caps ?? {},
    cacheTtlMs: 300_000,
    now: () => now,
    setTimer: (callback, ms) => {
      const timer = setTimeout(callback, ms);
      return () => clearTimeout(timer);
    },
  });
  handles.push(handle);
  const { world, context } = makeContext();
  const deps: AgentDeps = {
    gateway: handle.gateway,
    classify: () => ({ category: 'routine', tools, reasons: ['test'] }),
    tools: ALL_TOOLS,
    toolContext: (actor) => ({ ...context, actor }),
    clock: { now: () => world.now },
    limits: { maxStepsLocal: 3, maxStepsCloud: 5 },
    readPlans: new ReadAnswerPlans({ ttlMs: 300_000 }),
  };
  const turn = async (text = 'how is vm 100', conversationId = 'c1', messageId = 'm1'): Promise<AgentTurnOutcome> => {
    await handle.refreshCapacity();
    return runAgentTurn(deps, { conversationId, messageId, user: 'alice', text, history: [] });
  };
  /** The ledger's rows as stored. */
  const ledgerRows = () =>
    database
      .prepare(
        'SELECT state, provider, model, category, purpose, audit_id AS auditId, tokens_in AS inputTokens, tokens_out AS outputTokens, tokens_cached AS cachedInputTokens, cost_usd AS costUsd FROM llm_spend ORDER BY created_at, rowid',
      )
      .all();
  return { calls, cloudCalls, world, turn, handle, ledger, ledgerRows };
}

function answerOf(outcome: AgentTurnOutcome) {
  if (outcome.kind !== 'answer') throw new Error(`expected an answer, got fallback: ${outcome.reason}`);
  return outcome.result.answer;
}

describe('agent loop on the real gateway with the AI SDK mock model', () => {
  it("sends the persona as the system message and the compact specs of the classifier's tools; the tool result comes back framed; every DTO field is filled", async () => {
    const { calls, turn } = setup([{ tool: 'get_resource_usage', input: { vmid: 100 } }, { text: 'VM 100 is running.' }]);
    const answer = answerOf(await turn());
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.prompt[0]).toEqual({ role: 'system', content: PERSONA });
      expect(call.prompt.filter((message) => message.role === 'system')).toHaveLength(1);
      const offered = (call.tools ?? []).map((tool) => (tool.type === 'function' ? [tool.name, tool.description] : [tool.type]));
      expect(offered.map(([name]) => name)).toEqual(['get_resource_usage', 'manage_vm']);
      // the small model gets the terse descriptions, not the registry's
      expect(offered.map(([, description]) => description)).not.toContain(ALL_TOOLS.find((tool) => tool.name === 'manage_vm')!.description);
    }
    const toolMessage = calls[1]!.prompt.find((message) => message.role === 'tool');
    expect(JSON.stringify(toolMessage)).toMatch(/<cluster_data source=\\"pve:/);
    expect(ChatAnswerSchema.parse(answer)).toEqual(answer);
    expect(answer).toMatchObject({
      text: 'VM 100 is running.',
      steps: 2,
      stoppedBy: 'answer',
      personaVersion: PERSONA_VERSION,
      origin: { kind: 'model', model: 'mock-qwen', label: 'Mock Qwen (local)' },
      usage: { inputTokens: 600, outputTokens: 40 },
    });
    expect(answer.toolCalls).toEqual([expect.objectContaining({ tool: 'get_resource_usage', input: { vmid: 100 }, verdict: 'read' })]);
  });

  it('stops at the local step bound when the model keeps calling tools', async () => {
    const { calls, turn } = setup(() => ({ tool: 'get_resource_usage', input: { vmid: 100 } }));
    const answer = answerOf(await turn());
    expect(answer.stoppedBy).toBe('step-limit');
    expect(calls).toHaveLength(3);
  });

  it('repairs an invalid call once: the model sees the validation error, and its corrected call runs', async () => {
    const { calls, turn } = setup([
      { tool: 'get_resource_usage', input: { vmid: 'hundred' } },
      { tool: 'get_resource_usage', input: { vmid: 100 } },
      { text: 'ok' },
    ]);
    const answer = answerOf(await turn());
    expect(answer.toolCalls.map((card) => card.verdict)).toEqual(['invalid', 'read']);
    expect(JSON.stringify(calls[1]!.prompt.at(-1))).toMatch(/Invalid call, nothing ran: vmid: /);
  });

  it('stops on a proposal that needs a human: one model call, a ticket, nothing run', async () => {
    const { calls, turn, world } = setup([{ tool: 'manage_vm', input: { vmid: 100, action: 'reboot' } }, { text: 'should not be asked' }]);
    const answer = answerOf(await turn('reboot vm 100'));
    expect(calls).toHaveLength(1);
    expect(answer.stoppedBy).toBe('needs-confirmation');
    expect(answer.toolCalls[0]?.ticket?.id).toMatch(/^t-/);
    expect(world.executed).toEqual([]);
  });

  describe('escalation after two invalid local tool calls', () => {
    const invalidTwice = [
      { tool: 'get_resource_usage', input: { vmid: 'hundred' } },
      { tool: 'get_resource_usage', input: { vmid: 'still wrong' } },
    ];

    it('reaches Claude, re-pins the conversation to it with the reason, and the next turn stays on Claude', async () => {
      const { calls, cloudCalls, turn, handle } = setup(invalidTwice, undefined, {
        replies: (call) => (call === 0 ? { tool: 'get_resource_usage', input: { vmid: 100 } } : { text: `Claude answer ${call}` }),
      });
      const answer = answerOf(await turn());
      expect(calls).toHaveLength(2);
      expect(cloudCalls).toHaveLength(2);
      expect(answer).toMatchObject({
        text: 'Claude answer 1',
        origin: { kind: 'model', model: 'mock-claude' },
        escalation: expect.stringMatching(/two invalid tool calls/),
      });
      expect(answer.toolCalls.map((card) => card.verdict)).toEqual(['invalid', 'invalid', 'read']);
      // Claude starts over from the question: the invalid local attempts are not in its prompt.
      expect(JSON.stringify(cloudCalls[0]!.prompt)).not.toMatch(/Invalid call/);
      expect(handle.gateway.pinOf('c1')).toEqual({
        provider: 'cloud',
        escalations: [{ from: 'local', to: 'cloud', reason: expect.stringMatching(/two invalid tool calls/), at: expect.any(Number) }],
      });
      const next = answerOf(await turn('and vm 101?', 'c1', 'm2'));
      expect(next.origin.model).toBe('mock-claude');
      expect(calls).toHaveLength(2);
      expect(handle.gateway.pinOf('c1')?.escalations).toHaveLength(1);
    });

    it('falls back to offline when no cloud model is configured', async () => {
      const { calls, turn, handle } = setup(invalidTwice);
      const outcome = await turn();
      expect(outcome).toMatchObject({ kind: 'fallback', reason: expect.stringMatching(/two invalid tool calls/) });
      expect(calls).toHaveLength(2);
      expect(handle.gateway.pinOf('c1')).toEqual({ provider: 'local', escalations: [] });
    });

    it('falls back to offline when Claude is down; the pin does not move', async () => {
      const { cloudCalls, turn, handle } = setup(invalidTwice, undefined, { replies: () => ({ text: 'unused' }), down: true });
      const outcome = await turn();
      expect(outcome).toMatchObject({ kind: 'fallback', reason: expect.stringMatching(/LLM_UNAVAILABLE/) });
      expect(cloudCalls).toHaveLength(1);
      expect(handle.gateway.pinOf('c1')).toEqual({ provider: 'local', escalations: [] });
    });

    it('falls back to offline when Claude is over budget, without calling it', async () => {
      const { cloudCalls, turn, handle, ledger } = setup(invalidTwice, undefined, { replies: () => ({ text: 'unused' }), caps: { daily: 0.01 } });
      const spent = ledger.reserve(
        { provider: 'cloud', model: 'mock-claude', category: 'complex', purpose: 'chat', amountUsd: 0.01 },
        {},
        Date.parse('2026-12-04T14:00:00Z'),
      );
      if (spent.ok) ledger.settle(spent.value.id, { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, costUsd: 0.01 }, Date.parse('2026-12-04T14:00:00Z'));
      expect(handle.gateway.status().cloud).toMatchObject({ up: false, overBudget: { cap: 'daily' } });
      const outcome = await turn();
      expect(outcome).toMatchObject({ kind: 'fallback', reason: expect.stringMatching(/two invalid tool calls/) });
      expect(cloudCalls).toHaveLength(0);
      expect(handle.gateway.pinOf('c1')?.provider).toBe('local');
    });
  });

  describe('read-only answers through the answer cache', () => {
    const replies = (call: number): Reply => (call === 0 ? { tool: 'get_resource_usage', input: { vmid: 100 } } : { text: `VM 100 is running (${call}).` });

    it('the same question on an unchanged cluster is answered from the cache, labelled cached, with no model call', async () => {
      const { calls, turn } = setup(replies);
      const first = answerOf(await turn('How is VM 100?', 'c1', 'm1'));
      expect(first).toMatchObject({ text: 'VM 100 is running (1).', origin: { kind: 'model' } });
      expect(calls).toHaveLength(2);
      const second = answerOf(await turn('how is   vm 100?', 'c2', 'm2'));
      expect(calls).toHaveLength(2);
      expect(second).toMatchObject({
        text: 'VM 100 is running (1).',
        origin: { kind: 'cached', model: 'mock-qwen', label: expect.stringContaining('cached') },
        usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
        stoppedBy: 'answer',
      });
      // The reads were re-run to check the data: the card shows what the answer rests on.
      expect(second.toolCalls).toEqual([expect.objectContaining({ tool: 'get_resource_usage', input: { vmid: 100 }, verdict: 'read' })]);
    });

    it('a changed cluster misses: the model answers from the fresh tool result', async () => {
      const { calls, turn, world } = setup(replies);
      answerOf(await turn('How is VM 100?', 'c1', 'm1'));
      world.guests = world.guests.map((guest) => (guest.vmid === 100 ? { ...guest, status: 'stopped' } : guest));
      const second = answerOf(await turn('How is VM 100?', 'c2', 'm2'));
      expect(second.origin.kind).toBe('model');
      expect(calls).toHaveLength(3);
      // one model step: the replayed read is already in its prompt, with the new state
      expect(JSON.stringify(calls[2]!.prompt.filter((message) => message.role === 'tool'))).toMatch(/stopped/);
    });

    it('never caches a turn that proposed an act', async () => {
      const { calls, turn } = setup([{ tool: 'manage_vm', input: { vmid: 100, action: 'start' } }, { text: 'done' }]);
      await turn('start vm 100', 'c1', 'm1');
      const before = calls.length;
      const again = await turn('start vm 100', 'c2', 'm2');
      expect(calls.length).toBeGreaterThan(before);
      expect(again.kind === 'answer' && again.result.answer.origin.kind).not.toBe('cached');
    });
  });

  it('links every model call of a turn to the turn in the spend ledger (tokens, cost, model, category, audit id)', async () => {
    const { turn, ledgerRows } = setup([{ tool: 'get_resource_usage', input: { vmid: 100 } }, { text: 'VM 100 is running.' }]);
    answerOf(await turn('how is vm 100', 'c9', 'm9'));
    const rows = ledgerRows();
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(row).toMatchObject({
        state: 'settled',
        provider: 'local',
        model: 'mock-qwen',
        category: 'routine',
        purpose: 'chat',
        auditId: chatTurnAuditId('c9', 'm9'),
        inputTokens: 300,
        outputTokens: 20,
        cachedInputTokens: 0,
        costUsd: 0,
      });
  });
});
