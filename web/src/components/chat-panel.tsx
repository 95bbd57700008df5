import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { z } from 'zod';
import {
  ChatResponseSchema,
  ChatServerFrameSchema,
  ChatStatusSchema,
  ChatAnswerSchema,
  ConversationDtoSchema,
  ConversationListSchema,
  type ChatStatus,
  type ConversationSummary,
  type ToolCard,
} from '../../../src/protocol/index.ts';
import { apiRequest, socketUrl } from '../lib/api.ts';
import { EMPTY_CHAT, applyChatFrame, clearChat, failTurn, finishTurn, originBadge, startTurn, type ChatState, type ChatTurn } from '../lib/chat-state.ts';

const ApiAnswerSchema = ChatResponseSchema.and(ChatAnswerSchema);
const AnySchema = z.unknown();

/**
 * Chat with Jarvis (issue 11): streamed over the chat socket (`/ws?chat=1`), POST /api/chat when the
 * socket is not open. Tool cards (arguments, verdict, summary), an inline approval card for a
 * proposal that needs a human, a badge per answer (model / offline mode / cached / simulated),
 * category, escalation, tokens, cost and latency; a stop button; honest states (`chatStatusView`),
 * re-read after every answer so a model that went down or a budget used up shows at once. Keyboard:
 * Enter sends, Escape stops. Viewers get no chat panel (the dashboard renders it for operators and
 * admins only); should one get here, it has no input.
 */
export function ChatPanel({ aiEnabled, role }: { aiEnabled: boolean | undefined; role?: string | undefined }) {
  const canChat = role === undefined || role === 'operator' || role === 'admin';
  const [state, setState] = useState<ChatState>(EMPTY_CHAT);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<ChatStatus | undefined>(undefined);
  const [conversations, setConversations] = useState<readonly ConversationSummary[]>([]);
  const socket = useRef<WebSocket | null>(null);
  const counter = useRef(0);
  const running = state.turns.find((turn) => turn.running);

  useEffect(() => {
    void refreshStatus();
    void refreshList();
  }, [aiEnabled]);

  useEffect(() => {
    if (!canChat) return;
    const ws = new WebSocket(`${socketUrl(window.location)}?chat=1`);
    ws.onmessage = (event) => {
      try {
        const frame = ChatServerFrameSchema.safeParse(JSON.parse(String(event.data)));
        if (frame.success) setState((current) => applyChatFrame(current, frame.data));
        if (frame.success && frame.data.type === 'chat-turn-end') {
          void refreshList();
          void refreshStatus();
        }
      } catch {
        // not a chat frame
      }
    };
    socket.current = ws;
    return () => {
      ws.close();
      if (socket.current === ws) socket.current = null;
    };
  }, [canChat]);

  async function refreshStatus(): Promise<void> {
    const result = await apiRequest('/api/chat/status', ChatStatusSchema);
    if (result.ok) setStatus(result.value);
  }

  async function refreshList(): Promise<void> {
    const result = await apiRequest('/api/chat/conversations', ConversationListSchema);
    if (result.ok) setConversations(result.value.conversations);
  }

  async function submit(event?: FormEvent): Promise<void> {
    event?.preventDefault();
    const message = text.trim();
    if (!message || running || !canChat) return;
    setText('');
    const requestId = `r${Date.now()}-${counter.current++}`;
    setState((current) => startTurn(current, requestId, message));
    const ws = socket.current;
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: 'chat-send', requestId, message, ...(state.conversationId ? { conversationId: state.conversationId } : {}) }));
      return;
    }
    const result = await apiRequest('/api/chat', ApiAnswerSchema, {
      body: { message, ...(state.conversationId ? { conversationId: state.conversationId } : {}) },
    });
    setState((current) =>
      result.ok ? finishTurn(current, requestId, result.value) : failTurn(current, requestId, `${result.error.code}: ${result.error.message}`),
    );
    void refreshList();
    void refreshStatus();
  }

  function stop(): void {
    if (running) socket.current?.send(JSON.stringify({ type: 'chat-stop', requestId: running.requestId }));
  }

  async function resume(id: string): Promise<void> {
    if (!id) return setState(clearChat);
    const result = await apiRequest(`/api/chat/conversations/${encodeURIComponent(id)}`, ConversationDtoSchema);
    if (!result.ok) return;
    const turns: ChatTurn[] = [];
    for (const entry of result.value.entries) {
      if (entry.role === 'user') turns.push({ requestId: `h${turns.length}`, question: entry.text, text: '', cards: [], running: false });
      else if (turns.length > 0)
        turns[turns.length - 1] = { ...turns[turns.length - 1]!, text: entry.text, cards: entry.answer?.toolCalls ?? [], answer: entry.answer };
    }
    setState((current) => ({ ...clearChat(current), conversationId: id, turns }));
  }

  async function remove(): Promise<void> {
    if (!state.conversationId) return;
    await apiRequest(`/api/chat/conversations/${encodeURIComponent(state.conversationId)}`, AnySchema, { method: 'DELETE' });
    setState(clearChat);
    void refreshList();
  }

  function onKey(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'Escape') stop();
  }

  const view = chatStatusView(status, aiEnabled);
  return (
    <section className="panel chat" id="chat" aria-labelledby="chat-heading">
      <header className="panel-header">
        <h2 id="chat-heading">Chat</h2>
        {status ? (
          <span className={`badge chat-status chat-status-${status.mode}`} title={status.detail} data-testid="chat-status">
            {view.badge}
          </span>
        ) : null}
      </header>
      {view.banner ? (
        <p className="muted" role="status" data-testid="chat-banner">
          {view.banner}
        </p>
      ) : null}
      <div className="chat-conversations">
        <label htmlFor="chat-conversation" className="visually-hidden">
          Conversation
        </label>
        <select id="chat-conversation" value={state.conversationId ?? ''} onChange={(event) => void resume(event.target.value)}>
          <option value="">New conversation</option>
          {conversations.map((conversation) => (
            <option key={conversation.id} value={conversation.id}>
              {conversation.title}
            </option>
          ))}
        </select>
        {state.conversationId ? (
          <button type="button" onClick={() => void remove()}>
            Delete
          </button>
        ) : null}
      </div>
      {state.gap ? (
        <p className="muted" role="status">
          Some streamed frames were lost; the final answer is complete.
        </p>
      ) : null}
      <ol className="chat-lines" aria-live="polite">
        {state.turns.map((turn) => (
          <li key={turn.requestId} className="chat-turn">
            <p className="chat-you">
              <strong>You:</strong> {turn.question}
            </p>
            {turn.cards.map((card) => (
              <ToolCardView key={card.id} card={card} canApprove={canChat} />
            ))}
            {turn.text || turn.running ? (
              <p className="chat-jarvis">
                <strong>Jarvis:</strong> <span style={{ whiteSpace: 'pre-wrap' }}>{turn.text}</span>
                {turn.running ? <span className="muted"> …</span> : null}
              </p>
            ) : null}
            {turn.error ? (
              <p className="chat-error" role="alert">
                {turn.error}
              </p>
            ) : null}
            {turn.answer ? <AnswerMeta turn={turn} /> : null}
          </li>
        ))}
      </ol>
      {canChat ? (
        <form onSubmit={(event) => void submit(event)} className="chat-form">
          <label htmlFor="chat-input" className="visually-hidden">
            Message to Jarvis
          </label>
          <input
            id="chat-input"
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={onKey}
            placeholder={view.placeholder}
            maxLength={8000}
            disabled={running !== undefined}
          />
          {running ? (
            <button type="button" onClick={stop} data-testid="chat-stop">
              Stop
            </button>
          ) : (
            <button type="submit" disabled={!text.trim()}>
              Send
            </button>
          )}
        </form>
      ) : (
        <p className="muted">Viewers can read conversations but cannot chat.</p>
      )}
    </section>
  );
}

/**
 * The chat's honest state from GET /api/chat/status and the AI switch: the header badge, the
 * banner (why no model answers, which cap is used up and when it resets, that the model is
 * simulated) and the input's hint. Undefined status (not read yet): no claim either way.
 */
export function chatStatusView(
  status: ChatStatus | undefined,
  aiEnabled: boolean | undefined,
): { readonly offline: boolean; readonly badge: string; readonly banner?: string; readonly placeholder: string } {
  const offline = aiEnabled === false || status?.mode === 'off' || status?.mode === 'no-model' || status?.mode === 'down';
  const placeholder = offline ? 'Offline mode: e.g. "status of vm 101", "logs of pveproxy on agent1"' : 'Ask Jarvis… (Enter sends, Esc stops)';
  if (!status)
    return {
      offline,
      badge: offline ? 'offline mode' : '',
      ...(aiEnabled === false ? { banner: 'AI is off: offline command mode answers.' } : {}),
      placeholder,
    };
  const explain = offline || status.mode === 'over-budget' || status.mode === 'simulated';
  const banner = aiEnabled === false && status.mode !== 'off' ? 'AI is off: offline command mode answers.' : status.detail;
  return { offline, badge: offline ? 'offline mode' : status.mode, ...(explain ? { banner } : {}), placeholder };
}

function AnswerMeta({ turn }: { turn: ChatTurn }) {
  const answer = turn.answer!;
  return (
    <p className="chat-meta muted" data-testid="chat-meta">
      <span className="badge" data-testid="chat-origin">
        {originBadge(answer)}
      </span>{' '}
      {answer.category}
      {answer.escalation ? <> · escalation: {answer.escalation}</> : null} · {answer.usage.inputTokens}+{answer.usage.outputTokens} tokens · $
      {answer.usage.costUsd.toFixed(4)} · {Math.round(answer.latencyMs)} ms
      {answer.stoppedBy !== 'answer' && answer.stoppedBy !== 'offline' ? <> · stopped: {answer.stoppedBy}</> : null}
    </p>
  );
}

function ToolCardView({ card, canApprove }: { card: ToolCard; canApprove: boolean }) {
  const [decision, setDecision] = useState<string | undefined>(undefined);
  async function decide(kind: 'approve' | 'reject'): Promise<void> {
    if (!card.ticket) return;
    const result = await apiRequest(`/api/approvals/${encodeURIComponent(card.ticket.id)}/${kind}`, AnySchema, {
      method: 'POST',
      body: kind === 'reject' ? { reason: 'rejected in the chat' } : {},
    });
    setDecision(result.ok ? (kind === 'approve' ? 'approved' : 'rejected') : `${result.error.code}: ${result.error.message}`);
  }
  return (
    <div className={`tool-card tool-card-${card.verdict}`} data-testid="tool-card">
      <p>
        <strong>{card.tool}</strong> <code>{JSON.stringify(card.input).slice(0, 200)}</code> <span className="badge">{card.verdict.replace('-', ' ')}</span>
      </p>
      <p className="muted" style={{ whiteSpace: 'pre-wrap' }}>
        {card.summary}
      </p>
      {card.reasons && card.reasons.length > 0 ? (
        <ul>
          {card.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : null}
      {card.ticket ? (
        <div className="approval-card" role="group" aria-label="Approval needed" data-testid="approval-card">
          <p>
            Needs a human: {card.ticket.preview} (ticket {card.ticket.id})
          </p>
          {decision ? (
            <p role="status">{decision}</p>
          ) : canApprove ? (
            <>
              <button type="button" onClick={() => void decide('approve')}>
                Approve
              </button>{' '}
              <button type="button" onClick={() => void decide('reject')}>
                Reject
              </button>
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
