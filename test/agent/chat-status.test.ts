/**
 * The chat's honest states (GET /api/chat/status, the chat panel's banner): each names why the
 * model is not answering, and an exhausted budget names the cap and when it resets.
 */
import { describe, expect, it } from 'vitest';
import { ChatAgent, type ChatAgentDeps } from '../../src/app/agent/chat-agent.ts';
import type { ModelGatewayStatus } from '../../src/core/llm/model-port.ts';
import { ScriptedGateway } from './scripted-gateway.ts';

/** status() reads only the AI switch and the gateway: the rest of the deps are never touched here. */
function chatWith(aiEnabled: boolean, status?: ModelGatewayStatus): ChatAgent {
  const deps: Pick<ChatAgentDeps, 'aiEnabled' | 'gateway'> = { aiEnabled: () => aiEnabled, gateway: status ? new ScriptedGateway([], status) : undefined };
  return new ChatAgent(deps as ChatAgentDeps);
}

describe('chat status', () => {
  it('names the exhausted cap and when it resets', () => {
    const status = chatWith(true, {
      mode: 'over-budget',
      local: { model: 'qwen-test', up: true },
      cloud: { model: 'claude-test', up: false, overBudget: { cap: 'daily', resetsAt: Date.parse('2026-12-05T00:00:00Z') } },
    }).status();
    expect(status).toEqual({ mode: 'over-budget', detail: 'Cloud budget exhausted (daily cap, resets 2026-12-05 00:00 UTC): local model or offline mode.' });
  });

  it('says offline mode answers when the AI is off, no model is configured, or the model is down (with the reason)', () => {
    expect(chatWith(false, { mode: 'local-only', local: { model: 'qwen-test', up: true } }).status()).toMatchObject({
      mode: 'off',
      detail: expect.stringMatching(/offline command mode/),
    });
    expect(chatWith(true).status()).toMatchObject({ mode: 'no-model', detail: expect.stringMatching(/No model configured/) });
    expect(chatWith(true, { mode: 'down', local: { model: 'qwen-test', up: false, reason: 'connection refused' } }).status()).toEqual({
      mode: 'down',
      detail: 'Model unreachable: connection refused: offline command mode answers.',
    });
  });
});
