/**
 * A chat socket (`/ws?chat=1`): the client sends `chat-send` / `chat-stop` frames
 * (src/protocol/chat.ts); the server streams that turn's frames — `chat-turn-start`,
 * `chat-text-delta`, `chat-tool-call` (one card per tool call), `chat-turn-end` with the full answer,
 * or `chat-error` — to this socket only, each `{ type, seq, ts, payload }` with this socket's own
 * seq. One turn at a time per socket; `chat-stop` aborts it. Viewers get `chat-error` FORBIDDEN.
 * Bad frames get a `chat-error` and change nothing; the socket closes when its credential ends.
 */
import type { WebSocket } from 'ws';
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { ChatClientMessageSchema, type ChatServerFrame, WS_CLOSE } from '../../protocol/index.ts';
import { hasRole, type Principal } from '../auth/roles.ts';
import type { ChatAgent } from '../agent/chat-agent.ts';

type FramePayload<T extends ChatServerFrame['type']> = Extract<ChatServerFrame, { type: T }>['payload'];

export interface ChatSocketDeps {
  readonly chat: Pick<ChatAgent, 'send'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often the credential is re-checked (ms). */
  readonly recheckMs?: number;
  /**
   * Open chat sockets allowed at once (config server.maxWsClients, the same bound as the dashboard
   * feed: each dashboard tab opens at most one of each); past it a socket is closed with 1013 "try again later".
   */
  readonly maxSockets?: number;
}

export function createChatSocketHandler(deps: ChatSocketDeps) {
  let open = 0;
  const max = deps.maxSockets ?? 20;
  return (socket: WebSocket, principal: Principal, stillValid: () => boolean): void => {
    if (open >= max) {
      deps.logger.warn({ max }, 'chat socket refused: too many chat sockets');
      socket.close(WS_CLOSE.tryAgainLater, `try again later: too many chat sockets (max ${max})`);
      return;
    }
    open += 1;
    let seq = 0;
    let running: { requestId: string; controller: AbortController } | undefined;
    const send = <T extends ChatServerFrame['type']>(type: T, payload: FramePayload<T>): void => {
      if (socket.readyState !== socket.OPEN) return;
      seq += 1;
      socket.send(JSON.stringify({ type, seq, ts: deps.clock.now(), payload }));
    };
    const recheck = setInterval(() => {
      if (!stillValid()) socket.close(WS_CLOSE.unauthorized, 'session expired or revoked: sign in again');
    }, deps.recheckMs ?? 30_000);
    recheck.unref();

    socket.on('error', () => undefined);
    socket.on('close', () => {
      open -= 1;
      clearInterval(recheck);
      running?.controller.abort(new Error('socket closed'));
    });
    socket.on('message', (data, isBinary) => {
      let parsed: unknown;
      try {
        parsed = isBinary
          ? undefined
          : JSON.parse(
              Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8'),
            );
      } catch {
        parsed = undefined;
      }
      const message = ChatClientMessageSchema.safeParse(parsed);
      if (!message.success)
        return send('chat-error', {
          requestId: '',
          code: 'INVALID_INPUT',
          message: 'expected {type:"chat-send",requestId,message} or {type:"chat-stop",requestId}',
        });
      const frame = message.data;
      if (frame.type === 'chat-stop') {
        if (running?.requestId === frame.requestId) running.controller.abort(new Error('stopped by the user'));
        return;
      }
      if (!hasRole(principal.role, 'operator')) return send('chat-error', { requestId: frame.requestId, code: 'FORBIDDEN', message: 'viewers cannot chat' });
      if (running)
        return send('chat-error', { requestId: frame.requestId, code: 'CONFLICT', message: `turn ${running.requestId} is still running; stop it first` });
      const controller = new AbortController();
      const turn = { requestId: frame.requestId, controller };
      running = turn;
      void deps.chat
        .send({ message: frame.message, ...(frame.conversationId ? { conversationId: frame.conversationId } : {}) }, principal, {
          signal: controller.signal,
          onStart: (start) =>
            send('chat-turn-start', { requestId: frame.requestId, conversationId: start.conversationId, category: start.category, tools: [...start.tools] }),
          onEvent: (event) =>
            event.type === 'text-delta'
              ? send('chat-text-delta', { requestId: frame.requestId, text: event.text })
              : send('chat-tool-call', { requestId: frame.requestId, card: event.card }),
        })
        .then((result) => {
          if (!result.ok) return send('chat-error', { requestId: frame.requestId, code: result.error.code, message: result.error.message });
          const { reply: _reply, mode: _mode, ...answer } = result.value;
          return send('chat-turn-end', { requestId: frame.requestId, answer });
        })
        .catch((error: unknown) => {
          deps.logger.error({ error: (error as Error).message }, 'chat turn failed');
          send('chat-error', { requestId: frame.requestId, code: 'INTERNAL', message: 'internal error (logged on the server)' });
        })
        .finally(() => {
          if (running === turn) running = undefined;
        });
    });
  };
}
