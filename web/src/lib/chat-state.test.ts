import { describe, expect, it } from 'vitest';
import type { ChatAnswer } from '../../../src/protocol/chat.ts';
import { EMPTY_CHAT, applyChatFrame, clearChat, originBadge, startTurn } from './chat-state.ts';

const answer: ChatAnswer = {
  conversationId: 'c1',
  messageId: 'm1',
  text: 'done',
  origin: { kind: 'simulated', model: 'sim', label: 'simulated model' },
  category: 'routine',
  usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, costUsd: 0 },
  latencyMs: 5,
  steps: 1,
  stoppedBy: 'answer',
  toolCalls: [],
  personaVersion: 'p/1',
  tools: [],
};

describe('chat state', () => {
  it('builds a turn from streamed frames and keeps the final answer', () => {
    let state = startTurn(EMPTY_CHAT, 'r1', 'status?');
    state = applyChatFrame(state, {
      type: 'chat-turn-start',
      seq: 1,
      ts: 0,
      payload: { requestId: 'r1', conversationId: 'c1', category: 'routine', tools: [] },
    });
    state = applyChatFrame(state, { type: 'chat-text-delta', seq: 2, ts: 0, payload: { requestId: 'r1', text: 'do' } });
    state = applyChatFrame(state, {
      type: 'chat-tool-call',
      seq: 3,
      ts: 0,
      payload: { requestId: 'r1', card: { id: 'x', tool: 'check_cluster_health', input: {}, verdict: 'read', summary: 'ok' } },
    });
    expect(state.turns[0]).toMatchObject({ text: 'do', running: true, cards: [{ tool: 'check_cluster_health' }] });
    state = applyChatFrame(state, { type: 'chat-turn-end', seq: 4, ts: 0, payload: { requestId: 'r1', answer } });
    expect(state).toMatchObject({ conversationId: 'c1', gap: false, lastSeq: 4 });
    expect(state.turns[0]).toMatchObject({ text: 'done', running: false, answer });
  });

  it('notices a seq gap', () => {
    const state = applyChatFrame(startTurn(EMPTY_CHAT, 'r1', 'x'), { type: 'chat-text-delta', seq: 3, ts: 0, payload: { requestId: 'r1', text: 'a' } });
    expect(state.gap).toBe(true);
  });

  it('labels origins honestly', () => {
    expect(originBadge(answer)).toBe('simulated model');
    expect(originBadge({ ...answer, origin: { kind: 'offline', model: 'offline', label: 'offline mode' } })).toBe('offline mode');
    expect(originBadge({ ...answer, origin: { kind: 'cached', model: 'q', label: 'Qwen' } })).toBe('cached · Qwen');
  });

  it("a cleared panel keeps the socket's seq (no false gap on the next frame), and a new turn starts without the old gap", () => {
    let state = applyChatFrame(startTurn(EMPTY_CHAT, 'r1', 'hi'), {
      type: 'chat-turn-start',
      seq: 1,
      payload: { requestId: 'r1', conversationId: 'c1', category: 'routine', tools: [] },
    } as never);
    state = clearChat(state);
    expect(state).toEqual({ turns: [], lastSeq: 1, gap: false });
    state = applyChatFrame(startTurn(state, 'r2', 'again'), {
      type: 'chat-turn-start',
      seq: 2,
      payload: { requestId: 'r2', conversationId: 'c2', category: 'routine', tools: [] },
    } as never);
    expect(state.gap).toBe(false);
    state = applyChatFrame(state, { type: 'chat-text-delta', seq: 5, payload: { requestId: 'r2', text: 'x' } } as never);
    expect(state.gap).toBe(true);
    expect(startTurn(state, 'r3', 'next').gap).toBe(false);
  });
});
