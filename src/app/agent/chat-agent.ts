/**
 * The chat service: conversations per user, the agent loop on the gateway, and the offline
 * command mode — when the AI is off, no model is configured or reachable, as the fallback of a
 * failed loop, and as the fast path for requests the parser fully understands. Every answer says
 * which model or mode produced it.
 */
import { OFFLINE_HELP, parseOfflineCommand, type OfflineWorld } from '../../core/agent/offline/index.ts';
import { PERSONA_VERSION, systemPrompt } from '../../core/agent/persona.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { ModelGateway, ModelMessage, ModelUsage } from '../../core/llm/model-port.ts';
import type { ConversationStore, StoredMessage } from '../../core/ports/conversations.ts';
import type { ChatAnswer, ChatStatus, ConversationDto, ConversationSummary, ToolCard } from '../../protocol/chat.ts';
import { actorOf, type Principal } from '../auth/roles.ts';
import { DEFAULT_AGENT_LIMITS, type AgentDeps, type AgentEvent } from './agent-types.ts';
import { runAgentTurn } from './run-agent-turn.ts';
import { runOfflineCommand, type OfflineRunDeps } from './run-offline-command.ts';
import { toModelMessages, trimHistory } from './trim-history.ts';

export interface ChatAgentDeps extends Omit<AgentDeps, 'gateway'>, Omit<OfflineRunDeps, 'tools' | 'toolContext'> {
  /** Absent = no model configured: offline mode answers. */
  readonly gateway?: ModelGateway | undefined;
  readonly conversations: ConversationStore;
  /** Live names for the offline parser (poller snapshot, containers, pending tickets). */
  readonly world: () => Promise<OfflineWorld> | OfflineWorld;
  readonly aiEnabled: () => boolean;
  readonly newId: () => string;
  /** Answer fully understood requests in offline mode without a model (default true). */
  readonly fastPath?: boolean | undefined;
  /**
   * Memory chat commands ("remember …" / "forget …"), consulted first for every user message:
   * an answer is the chat's reply (no model call, no tool); undefined = not a memory command.
   */
  readonly memoryCommands?: MemoryCommands | undefined;
}

export type MemoryCommands = (
  text: string,
  from: { readonly principal: string; readonly conversationId: string },
) => Promise<{ readonly ok: boolean; readonly reply: string } | undefined>;

export interface ChatSendOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onEvent?: ((event: AgentEvent) => void) | undefined;
  readonly onStart?: ((start: { conversationId: string; category: string; tools: readonly string[] }) => void) | undefined;
}

export type ChatReply = ChatAnswer & { readonly reply: string; readonly mode: 'model' | 'offline' };

const ZERO: ModelUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 };
const OFFLINE_ORIGIN = { kind: 'offline' as const, model: 'offline', label: 'offline mode' };
/** Answers of the memory commands: deterministic, no model (shown as memory, not as a model's word). */
const MEMORY_ORIGIN = { kind: 'offline' as const, model: 'memory', label: 'memory' };

export class ChatAgent {
  constructor(private readonly deps: ChatAgentDeps) {}

  /** What the chat can do now (the UI's honest states). */
  status(): ChatStatus {
    if (!this.deps.aiEnabled()) return { mode: 'off', detail: 'AI is off: offline command mode answers (no model is used).' };
    if (!this.deps.gateway) return { mode: 'no-model', detail: 'No model configured: offline command mode answers.' };
    const status = this.deps.gateway.status();
    const detail: Record<ChatStatus['mode'], string> = {
      off: 'AI is off: offline command mode answers.',
      'no-model': 'No model configured: offline command mode answers.',
      simulated: 'Simulated model (no real model configured).',
      'local-only': `Local model ${status.local?.model ?? ''}`.trim(),
      'cloud-only': `Cloud model ${status.cloud?.model ?? ''}`.trim(),
      hybrid: `Local ${status.local?.model ?? '?'} + cloud ${status.cloud?.model ?? '?'}`,
      'over-budget': `Cloud budget exhausted${overBudgetNotice(status.cloud?.overBudget)}: local model or offline mode.`,
      down: `Model unreachable${status.local?.reason ? `: ${status.local.reason}` : ''}: offline command mode answers.`,
    };
    return { mode: status.mode, detail: detail[status.mode] };
  }

  async send(
    request: { readonly conversationId?: string | undefined; readonly message: string },
    principal: Principal,
    options: ChatSendOptions = {},
  ): Promise<Result<ChatReply, JarvisError>> {
    const started = this.deps.clock.now();
    const conversation = await this.open(request.conversationId, principal.name, request.message, started);
    if (!conversation.ok) return conversation;
    const { id: conversationId, history: stored } = conversation.value;
    const messageId = this.deps.newId();
    const memoryAnswer = await this.memoryCommand(request.message, principal, { conversationId, messageId, started });
    if (memoryAnswer) {
      options.onStart?.({ conversationId, category: memoryAnswer.category, tools: [] });
      return this.store(conversationId, principal, request.message, started, [], memoryAnswer);
    }
    const world = await this.deps.world();
    const classification = this.deps.classify(request.message, world);
    options.onStart?.({ conversationId, category: classification.category, tools: classification.tools.slice(0, 3) });
    const parsed = parseOfflineCommand(request.message, world);
    const modelDown = this.modelUnavailable();
    const understood = parsed.kind === 'tool' || parsed.kind === 'ticket' || parsed.kind === 'freeze';
    let answer: ChatAnswer;
    let added: readonly ModelMessage[] = [];
    if (modelDown !== undefined || ((this.deps.fastPath ?? true) && understood && classification.category === 'routine')) {
      answer = await this.offline(request.message, principal, {
        conversationId,
        messageId,
        started,
        category: classification.category,
        escalation: modelDown,
        usage: ZERO,
        priorCards: [],
        signal: options.signal,
        onEvent: options.onEvent,
      });
    } else {
      const gateway = this.deps.gateway!;
      const limits = { ...DEFAULT_AGENT_LIMITS, ...this.deps.limits };
      const budget = gateway.contextBudget({
        class: 'user',
        category: classification.category,
        system: systemPrompt(),
        tools: [],
        messages: [{ role: 'user', content: request.message }],
        maxOutputTokens: limits.maxOutputTokens,
      });
      const trimmed = trimHistory(toModelMessages(stored), Math.max(0, Math.floor(budget * (1 - limits.memoryShare))));
      const history: ModelMessage[] = trimmed.summary
        ? [{ role: 'user', content: trimmed.summary }, { role: 'assistant', content: 'Noted.' }, ...trimmed.kept]
        : trimmed.kept;
      const outcome = await runAgentTurn(
        { ...this.deps, gateway },
        { conversationId, messageId, user: principal.name, text: request.message, classification, history, signal: options.signal, onEvent: options.onEvent },
      );
      if (outcome.kind === 'answer') {
        answer = outcome.result.answer;
        added = outcome.result.added;
      } else {
        answer = await this.offline(request.message, principal, {
          conversationId,
          messageId,
          started,
          category: outcome.category,
          escalation: `model answer failed (${outcome.reason}): offline mode`,
          usage: outcome.usage,
          priorCards: outcome.toolCalls,
          signal: options.signal,
          onEvent: options.onEvent,
        });
      }
    }
    return this.store(conversationId, principal, request.message, started, added, answer);
  }

  /** Stores the turn (user message, tool traffic, the answer) and returns the reply. */
  private async store(
    conversationId: string,
    principal: Principal,
    message: string,
    started: number,
    added: readonly ModelMessage[],
    answer: ChatAnswer,
  ): Promise<Result<ChatReply, JarvisError>> {
    const at = this.deps.clock.now();
    const toStore: StoredMessage[] = [
      { role: 'user', content: message, at: started },
      ...added.filter((entry) => entry.role !== 'assistant' || entry.toolCalls).map((entry) => storedOf(entry, at)),
      { role: 'assistant', content: answer.text, at, answer },
    ];
    const saved = await this.deps.conversations.append(conversationId, principal.name, toStore);
    if (!saved.ok) return saved;
    return ok({ ...answer, reply: answer.text, mode: answer.origin.kind === 'offline' ? 'offline' : 'model' });
  }

  /** The memory command's answer when the message is one ("remember …" / "forget …"), else undefined. */
  private async memoryCommand(
    text: string,
    principal: Principal,
    turn: { conversationId: string; messageId: string; started: number },
  ): Promise<ChatAnswer | undefined> {
    if (!this.deps.memoryCommands) return undefined;
    const handled = await this.deps.memoryCommands(text, { principal: actorOf(principal), conversationId: turn.conversationId });
    if (!handled) return undefined;
    return {
      conversationId: turn.conversationId,
      messageId: turn.messageId,
      text: handled.reply,
      origin: MEMORY_ORIGIN,
      category: 'routine',
      usage: ZERO,
      latencyMs: this.deps.clock.now() - turn.started,
      steps: 0,
      stoppedBy: 'offline',
      toolCalls: [],
      personaVersion: PERSONA_VERSION,
      tools: [],
    };
  }

  async list(user: string): Promise<Result<ConversationSummary[], JarvisError>> {
    const heads = await this.deps.conversations.list(user, 50);
    return heads.ok ? ok(heads.value.map(({ id, title, createdAt, updatedAt, messages }) => ({ id, title, createdAt, updatedAt, messages }))) : heads;
  }

  async get(id: string, user: string): Promise<Result<ConversationDto, JarvisError>> {
    const found = await this.deps.conversations.get(id, user);
    if (!found.ok) return found;
    if (!found.value) return err(jarvisError('NOT_FOUND', `no conversation ${id}`));
    const entries = found.value.messages
      .filter((message) => message.role === 'user' || (message.role === 'assistant' && message.answer !== undefined))
      .map((message) => ({
        role: message.role as 'user' | 'assistant',
        text: message.content,
        at: message.at,
        ...(message.answer ? { answer: message.answer as ChatAnswer } : {}),
      }));
    return ok({ id, title: found.value.head.title, entries });
  }

  async remove(id: string, user: string): Promise<Result<boolean, JarvisError>> {
    return this.deps.conversations.delete(id, user);
  }

  /** Why no model can answer now, or undefined when one may. */
  private modelUnavailable(): string | undefined {
    if (!this.deps.aiEnabled()) return 'AI is off';
    if (!this.deps.gateway) return 'no model configured';
    const mode = this.deps.gateway.status().mode;
    if (mode === 'off' || mode === 'no-model') return 'no model configured';
    if (mode === 'down') return 'model unreachable';
    return undefined;
  }

  private async open(
    id: string | undefined,
    user: string,
    message: string,
    now: number,
  ): Promise<Result<{ id: string; history: readonly StoredMessage[] }, JarvisError>> {
    if (id) {
      const found = await this.deps.conversations.get(id, user);
      if (!found.ok) return found;
      if (found.value) return ok({ id, history: found.value.messages });
    }
    const newId = id && /^[A-Za-z0-9_.:-]{1,100}$/.test(id) ? id : this.deps.newId();
    const created = await this.deps.conversations.create({ id: newId, user, title: message.replace(/\s+/g, ' ').slice(0, 60), createdAt: now });
    if (!created.ok) return created;
    return ok({ id: newId, history: [] });
  }

  private async offline(
    text: string,
    principal: Principal,
    turn: {
      conversationId: string;
      messageId: string;
      started: number;
      category: string;
      escalation: string | undefined;
      usage: ModelUsage;
      priorCards: readonly ToolCard[];
      signal?: AbortSignal | undefined;
      onEvent?: ((event: AgentEvent) => void) | undefined;
    },
  ): Promise<ChatAnswer> {
    const command = parseOfflineCommand(text, await this.deps.world());
    const result = await runOfflineCommand(this.deps, command, principal, `offline_${turn.messageId}`, turn.signal);
    for (const card of result.cards) turn.onEvent?.({ type: 'tool-call', card });
    const prefix = turn.escalation && (command.kind === 'unknown' || command.kind === 'clarify') ? `(${turn.escalation}) ` : '';
    const body = command.kind === 'unknown' && !command.message.includes(OFFLINE_HELP) ? `${command.message}\n${OFFLINE_HELP}` : result.text;
    return {
      conversationId: turn.conversationId,
      messageId: turn.messageId,
      text: `${prefix}${body}`,
      origin: OFFLINE_ORIGIN,
      category: turn.category,
      ...(turn.escalation ? { escalation: turn.escalation } : {}),
      usage: turn.usage,
      latencyMs: this.deps.clock.now() - turn.started,
      steps: 0,
      stoppedBy: result.needsConfirmation ? 'needs-confirmation' : 'offline',
      toolCalls: [...turn.priorCards, ...result.cards],
      personaVersion: PERSONA_VERSION,
      tools: command.kind === 'tool' ? [command.tool] : [],
    };
  }
}

/** ` (daily cap, resets 2026-12-05 00:00 UTC)`: which cap is used up and when Claude is back. */
function overBudgetNotice(overBudget: { readonly cap: string; readonly resetsAt: number } | undefined): string {
  if (!overBudget) return '';
  const resets = Number.isFinite(overBudget.resetsAt) ? `, resets ${new Date(overBudget.resetsAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  return ` (${overBudget.cap} cap${resets})`;
}

function storedOf(message: ModelMessage, at: number): StoredMessage {
  if (message.role === 'tool') return { role: 'tool', content: message.content, at, toolCallId: message.toolCallId, toolName: message.toolName };
  if (message.role === 'assistant') return { role: 'assistant', content: message.content, at, ...(message.toolCalls ? { toolCalls: message.toolCalls } : {}) };
  return { role: 'user', content: message.content, at };
}
