/**
 * Chat panel state (pure): turns built from the chat socket's frames (src/protocol/chat.ts) or a
 * POST /api/chat answer. A seq gap on the chat socket marks the open turn incomplete (the final
 * `chat-turn-end` still carries the whole answer).
 */
import type { ChatAnswer, ChatServerFrame, ToolCard } from '../../../src/protocol/chat.ts';

export interface ChatTurn {
  readonly requestId: string;
  readonly question: string;
  readonly text: string;
  readonly cards: readonly ToolCard[];
  readonly answer?: ChatAnswer | undefined;
  readonly error?: string | undefined;
  readonly running: boolean;
}

export interface ChatState {
  readonly conversationId?: string | undefined;
  readonly turns: readonly ChatTurn[];
  readonly lastSeq: number;
  readonly gap: boolean;
}

export const EMPTY_CHAT: ChatState = { turns: [], lastSeq: 0, gap: false };
const MAX_TURNS = 50;

/**
 * An empty panel (new conversation, deleted one) on the same socket: the socket's seq goes on, so
 * it is kept; forgetting it would flag the next frame as a gap.
 */
export function clearChat(state: ChatState): ChatState {
  return { ...EMPTY_CHAT, lastSeq: state.lastSeq };
}

/** A new turn; a gap noticed during an earlier turn does not mark this one. */
export function startTurn(state: ChatState, requestId: string, question: string): ChatState {
  return { ...state, gap: false, turns: [...state.turns, { requestId, question, text: '', cards: [], running: true }].slice(-MAX_TURNS) };
}

function update(state: ChatState, requestId: string, change: (turn: ChatTurn) => ChatTurn): ChatState {
  return { ...state, turns: state.turns.map((turn) => (turn.requestId === requestId ? change(turn) : turn)) };
}

export function applyChatFrame(state: ChatState, frame: ChatServerFrame): ChatState {
  const next = { ...state, gap: state.gap || frame.seq !== state.lastSeq + 1, lastSeq: frame.seq };
  switch (frame.type) {
    case 'chat-turn-start':
      return { ...update(next, frame.payload.requestId, (turn) => turn), conversationId: frame.payload.conversationId };
    case 'chat-text-delta':
      return update(next, frame.payload.requestId, (turn) => ({ ...turn, text: turn.text + frame.payload.text }));
    case 'chat-tool-call':
      return update(next, frame.payload.requestId, (turn) => ({ ...turn, cards: [...turn.cards, frame.payload.card] }));
    case 'chat-turn-end':
      return { ...finishTurn(next, frame.payload.requestId, frame.payload.answer), conversationId: frame.payload.answer.conversationId };
    case 'chat-error':
      return update(next, frame.payload.requestId, (turn) => ({ ...turn, running: false, error: `${frame.payload.code}: ${frame.payload.message}` }));
  }
}

export function finishTurn(state: ChatState, requestId: string, answer: ChatAnswer): ChatState {
  return {
    ...update(state, requestId, (turn) => ({ ...turn, running: false, text: answer.text, cards: answer.toolCalls, answer })),
    conversationId: answer.conversationId,
  };
}

export function failTurn(state: ChatState, requestId: string, error: string): ChatState {
  return update(state, requestId, (turn) => ({ ...turn, running: false, error }));
}

/** The badge text for an answer's origin: model label, "offline mode", "cached", "simulated model". */
export function originBadge(answer: ChatAnswer): string {
  if (answer.origin.kind === 'offline') return 'offline mode';
  if (answer.origin.kind === 'cached') return `cached · ${answer.origin.label}`;
  if (answer.origin.kind === 'simulated') return 'simulated model';
  return answer.origin.label;
}
