import { describe, expect, it } from 'vitest';
import { runAgentTurn, type AgentTurnOutcome } from '../../src/app/agent/run-agent-turn.ts';
import type { AgentDeps, RequestClassifier } from '../../src/app/agent/agent-types.ts';
import { ALL_TOOLS } from '../../src/app/tools/index.ts';
import { PERSONA, PERSONA_VERSION } from '../../src/core/agent/persona.ts';
import { FRAME_NOTICE } from '../../src/core/llm/frame.ts';
import { ChatAnswerSchema } from '../../src/protocol/chat.ts';
import { makeContext } from '../tools/make-context.ts';
import { CLOUD, ScriptedGateway, callTool, reply, type Step } from './scripted-gateway.ts';

const classify =
  (tools: string[], category: 'routine' | 'complex' = 'routine'): RequestClassifier =>
  () => ({ category, tools, reasons: ['test'] });

function setup(steps: Step[], options: { tools?: string[]; limits?: AgentDeps['limits']; gateway?: ScriptedGateway; now?: () => number } = {}) {
  const { world, executor, context } = makeContext();
  const gateway = options.gateway ?? new ScriptedGateway(steps);
  const actors: unknown[] = [];
  const deps: AgentDeps = {
    gateway,
    classify: classify(options.tools ?? ['get_resource_usage', 'manage_vm']),
    tools: ALL_TOOLS,
    toolContext: (actor) => {
      actors.push(actor);
      return { ...context, actor };
    },
    clock: { now: options.now ?? (() => world.now) },
    limits: { maxStepsLocal: 3, maxStepsCloud: 5, ...options.limits },
  };
  const turn = (text = 'how is vm 100', signal?: AbortSignal) =>
    runAgentTurn(deps, { conversationId: 'c1', messageId: 'm1', user: 'alice', text, history: [], signal });
  return { world, executor, gateway, deps, actors, turn };
}

function answerOf(outcome: AgentTurnOutcome) {
  if (outcome.kind !== 'answer') throw new Error(`expected an answer, got fallback: ${outcome.reason}`);
  return outcome.result.answer;
}

describe('agent loop on a scripted gateway', () => {
  it("puts the one persona in the system prompt and offers only the classifier's tools", async () => {
    const { gateway, turn } = setup([() => callTool('get_resource_usage', { vmid: 100 }), () => reply('VM 100 is running.')]);
    const answer = answerOf(await turn());
    expect(gateway.requests).toHaveLength(2);
    for (const request of gateway.requests) {
      expect(request.system).toBe(PERSONA);
      expect(request.system).toContain(FRAME_NOTICE);
      expect(request.tools?.map((tool) => tool.name)).toEqual(['get_resource_usage', 'manage_vm']);
      expect(request.messages.every((message) => !('content' in message) || !message.content.includes(PERSONA))).toBe(true);
      expect(request).toMatchObject({ purpose: 'chat', class: 'user', category: 'routine', conversationId: 'c1' });
    }
    // The tool result reached the model framed.
    const toolMessage = gateway.requests[1]!.messages.find((message) => message.role === 'tool');
    expect(toolMessage?.content).toMatch(/<cluster_data source="pve:/);
    expect(answer.text).toBe('VM 100 is running.');
  });

  it('fills every DTO field of the answer', async () => {
    const { turn } = setup([
      () => callTool('get_resource_usage', { vmid: 100 }),
      () => reply('fine', { escalation: { from: 'cloud', to: 'local', reason: 'over budget' } }),
    ]);
    const answer = answerOf(await turn());
    expect(ChatAnswerSchema.parse(answer)).toEqual(answer);
    expect(answer).toMatchObject({
      conversationId: 'c1',
      messageId: 'm1',
      text: 'fine',
      category: 'routine',
      steps: 2,
      stoppedBy: 'answer',
      personaVersion: PERSONA_VERSION,
      origin: { kind: 'model', model: 'qwen-test', label: 'Qwen test (local)' },
      escalation: 'cloud -> local: over budget',
      usage: { inputTokens: 220, outputTokens: 30, cachedInputTokens: 0, costUsd: 0 },
      tools: ['get_resource_usage', 'manage_vm'],
    });
    expect(answer.toolCalls).toEqual([expect.objectContaining({ tool: 'get_resource_usage', input: { vmid: 100 }, verdict: 'read' })]);
    expect(typeof answer.latencyMs).toBe('number');
  });

  it("keeps the first step's escalation when later steps are pinned to the model it chose", async () => {
    const { turn } = setup([
      () =>
        callTool(
          'get_resource_usage',
          { vmid: 100 },
          { origin: CLOUD, escalation: { from: 'local', to: 'cloud', reason: 'the local model server is not ready' } },
        ),
      () => reply('fine', { origin: CLOUD }),
    ]);
    const answer = answerOf(await turn());
    expect(answer.escalation).toBe('local -> cloud: the local model server is not ready');
  });

  it('labels simulated and cached answers', async () => {
    const simulated = answerOf(
      await setup([() => reply('hi', { origin: { provider: 'local', model: 'sim', label: 'simulated model', simulated: true } })]).turn(),
    );
    expect(simulated.origin).toEqual({ kind: 'simulated', model: 'sim', label: 'simulated model' });
    const cached = answerOf(
      await setup([() => reply('hi', { cached: true, origin: { provider: 'cache', model: 'qwen-test', label: 'cached', simulated: false } })]).turn(),
    );
    expect(cached.origin.kind).toBe('cached');
  });

  it('stops at the step bound of the local model', async () => {
    const { gateway, turn } = setup([() => callTool('get_resource_usage', { vmid: 100 })]);
    const answer = answerOf(await turn());
    expect(answer.stoppedBy).toBe('step-limit');
    expect(gateway.requests).toHaveLength(3);
  });

  it('allows more steps when Claude answers', async () => {
    const { gateway, turn } = setup([() => callTool('get_resource_usage', { vmid: 100 }, { origin: CLOUD })]);
    const answer = answerOf(await turn());
    expect(answer.stoppedBy).toBe('step-limit');
    expect(gateway.requests).toHaveLength(5);
  });

  it('stops at the time bound (injected clock)', async () => {
    let now = 1_000_000;
    const { gateway, turn } = setup(
      [
        () => {
          now += 40_000;
          return callTool('get_resource_usage', { vmid: 100 });
        },
      ],
      { now: () => now, limits: { turnTimeoutMs: 60_000, maxStepsLocal: 10 } },
    );
    const answer = answerOf(await turn());
    expect(answer.stoppedBy).toBe('time-limit');
    expect(gateway.requests).toHaveLength(2);
  });

  it('repairs an invalid call once, with the validation error', async () => {
    const { gateway, turn } = setup([
      () => callTool('get_resource_usage', { vmid: 'hundred' }),
      () => callTool('get_resource_usage', { vmid: 100 }),
      () => reply('ok'),
    ]);
    const answer = answerOf(await turn());
    expect(answer.toolCalls.map((card) => card.verdict)).toEqual(['invalid', 'read']);
    const feedback = gateway.requests[1]!.messages.at(-1);
    expect(feedback).toMatchObject({ role: 'tool', toolName: 'get_resource_usage' });
    expect(feedback && 'content' in feedback ? feedback.content : '').toMatch(/Invalid call, nothing ran: vmid: /);
  });

  it('treats a truncated call (finish reason length) as invalid', async () => {
    const { gateway, turn } = setup([() => callTool('manage_vm', { vmid: 100 }, { finishReason: 'length' }), () => reply('sorry')]);
    const answer = answerOf(await turn());
    expect(answer.toolCalls[0]).toMatchObject({ verdict: 'invalid', summary: expect.stringMatching(/cut off/) });
    expect(gateway.requests).toHaveLength(2);
  });

  it('falls back (offline) after a second invalid call when no cloud model is up', async () => {
    const { turn } = setup([() => callTool('get_resource_usage', { vmid: 'x' }), () => callTool('nope', {})]);
    const outcome = await turn();
    expect(outcome.kind).toBe('fallback');
    if (outcome.kind === 'fallback') expect(outcome.reason).toMatch(/two invalid tool calls/);
  });

  it('escalates to the cloud model after a second invalid local call when Claude is up', async () => {
    const gateway = new ScriptedGateway(
      [
        () => callTool('get_resource_usage', { vmid: 'x' }),
        () => callTool('get_resource_usage', { bogus: 1 }),
        (request) => (request.escalate?.to === 'cloud' ? reply('from claude', { origin: CLOUD }) : reply('wrong')),
      ],
      { mode: 'hybrid', local: { model: 'qwen-test', up: true }, cloud: { model: 'claude-test', up: true } },
    );
    const { turn } = setup([], { gateway });
    const answer = answerOf(await turn());
    expect(answer.text).toBe('from claude');
    expect(answer.escalation).toMatch(/escalated to the cloud/);
    expect(gateway.requests[2]).toMatchObject({ escalate: { to: 'cloud', reason: expect.stringMatching(/two invalid tool calls/) }, category: 'complex' });
  });

  it('stops the loop on a proposal that needs a human and returns the ticket', async () => {
    const { gateway, turn, world, actors } = setup([() => callTool('manage_vm', { vmid: 100, action: 'reboot' }), () => reply('should not be asked')]);
    const answer = answerOf(await turn('reboot vm 100'));
    expect(gateway.requests).toHaveLength(1);
    expect(answer.stoppedBy).toBe('needs-confirmation');
    const card = answer.toolCalls[0]!;
    expect(card.verdict).toBe('needs-confirmation');
    expect(card.ticket?.id).toMatch(/^t-/);
    expect(world.executed).toEqual([]);
    expect(actors).toEqual([{ kind: 'model', modelId: 'qwen-test', conversationId: 'c1' }]);
  });

  it('falls back when the gateway has no model', async () => {
    const { turn } = setup([() => ({ ok: false, error: { code: 'LLM_UNAVAILABLE', message: 'no model configured', retryable: false } })]);
    const outcome = await turn();
    expect(outcome).toMatchObject({ kind: 'fallback', reason: expect.stringMatching(/LLM_UNAVAILABLE/) });
  });

  it('streams text deltas and tool cards as they happen', async () => {
    const events: string[] = [];
    const { deps } = setup([
      (request) => {
        request.onTextDelta?.('Look');
        return callTool('get_resource_usage', { vmid: 100 });
      },
      (request) => {
        request.onTextDelta?.('ing good');
        return reply('Looking good');
      },
    ]);
    await runAgentTurn(deps, {
      conversationId: 'c1',
      messageId: 'm1',
      user: 'alice',
      text: 'x',
      history: [],
      onEvent: (event) => events.push(event.type === 'text-delta' ? `text:${event.text}` : `card:${event.card.tool}`),
    });
    expect(events).toEqual(['text:Look', 'card:get_resource_usage', 'text:ing good']);
  });

  it('gives context providers (memory) their share of the budget and puts their blocks after the persona', async () => {
    const gateway = new ScriptedGateway([() => reply('ok')], undefined, 800);
    const { deps } = setup([], { gateway });
    const budgets: number[] = [];
    await runAgentTurn(
      {
        ...deps,
        contextProviders: [
          async ({ budgetTokens }) => {
            budgets.push(budgetTokens);
            return ['<memory>fact</memory>'];
          },
        ],
      },
      { conversationId: 'c1', messageId: 'm1', user: 'alice', text: 'x', history: [] },
    );
    expect(budgets).toEqual([400]);
    expect(gateway.requests[0]!.system.startsWith(PERSONA)).toBe(true);
    expect(gateway.requests[0]!.system).toContain('<memory>fact</memory>');
  });
});
