import { useState, type FormEvent } from 'react';
import { ChatResponseSchema } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';

interface Line { readonly id: number; readonly from: 'you' | 'jarvis' | 'error'; readonly text: string }

const MAX_LINES = 50;

/** Chat with Jarvis (POST /api/chat). Keeps the last 50 lines. Says so when the AI is off. */
export function ChatPanel({ aiEnabled }: { aiEnabled: boolean | undefined }) {
  const [lines, setLines] = useState<readonly Line[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [conversationId, setConversationId] = useState<string | undefined>(undefined);

  const add = (from: Line['from'], message: string) => setLines((current) => [...current, { id: Date.now() + Math.random(), from, text: message }].slice(-MAX_LINES));

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    setText('');
    add('you', message);
    setBusy(true);
    const result = await apiRequest('/api/chat', ChatResponseSchema, { body: { message, ...(conversationId ? { conversationId } : {}) } });
    setBusy(false);
    if (!result.ok) return add('error', `${result.error.code}: ${result.error.message}`);
    setConversationId(result.value.conversationId);
    add('jarvis', result.value.mode === 'offline' ? `[offline mode] ${result.value.reply}` : result.value.reply);
  }

  return (
    <section className="panel chat" id="chat" aria-labelledby="chat-heading">
      <header className="panel-header"><h2 id="chat-heading">Chat</h2>{aiEnabled === false ? <span className="badge">AI off</span> : null}</header>
      {aiEnabled === false ? <p className="muted">The AI is turned off: chat is unavailable; the dashboard and tools keep working.</p> : null}
      <ol className="chat-lines" aria-live="polite">
        {lines.map((line) => <li key={line.id} className={`chat-${line.from}`}><strong>{line.from === 'you' ? 'You' : line.from === 'jarvis' ? 'Jarvis' : 'Error'}:</strong> {line.text}</li>)}
      </ol>
      <form onSubmit={(event) => void submit(event)} className="chat-form">
        <label htmlFor="chat-input" className="visually-hidden">Message to Jarvis</label>
        <input id="chat-input" value={text} onChange={(event) => setText(event.target.value)} placeholder="Ask Jarvis…" disabled={busy || aiEnabled === false} maxLength={8000} />
        <button type="submit" disabled={busy || aiEnabled === false || !text.trim()}>Send</button>
      </form>
    </section>
  );
}
