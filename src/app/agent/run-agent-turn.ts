/**
 * One chat turn on the model gateway: the pre-classifier's 1-3 tools, the persona as the system
 * prompt, bounded steps (fewer for the local model) and time, tool results only as framed text,
 * one repair attempt for an invalid or truncated tool call, and a stop with the ticket when a
 * proposal needs a human. Returns `fallback` (with the reason) when the caller should answer in
 * offline mode instead: no model reachable, or the repair failed with no escalation left.
 */
import type { ModelMessage, ModelResult, ModelToolCall, ModelUsage, RequestCategory } from '../../core/llm/model-port.ts';
import { PERSONA_VERSION, systemPrompt } from '../../core/agent/persona.ts';
import type { ChatAnswer, ChatOrigin, ChatStop, ToolCard } from '../../protocol/chat.ts';
import { runTool, type AnyToolDefinition } from '../tools/index.ts';
import { DEFAULT_AGENT_LIMITS, type AgentDeps, type AgentTurnRequest, type AgentTurnResult } from './agent-types.ts';
import { readPlanKey, toolResultsHash, type PlannedRead } from './read-answer-plans.ts';
import { invalidCard, modelText, toolCard } from './tool-card.ts';
import { toModelToolSpec, validateToolCall } from './tool-specs.ts';

export type AgentTurnOutcome =
  | { readonly kind: 'answer'; readonly result: AgentTurnResult }
  | {
      readonly kind: 'fallback';
      readonly reason: string;
      readonly category: RequestCategory;
      readonly tools: readonly string[];
      readonly usage: ModelUsage;
      readonly toolCalls: readonly ToolCard[];
    };

const ZERO: ModelUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 };
const addUsage = (a: ModelUsage, b: ModelUsage): ModelUsage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
  cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  costUsd: a.costUsd + b.costUsd,
});

/** The answer's origin label from the gateway's. */
export function chatOrigin(result: Pick<ModelResult, 'origin' | 'cached'>): ChatOrigin {
  const kind =
    result.cached || result.origin.provider === 'cache'
      ? 'cached'
      : result.origin.simulated
        ? 'simulated'
        : result.origin.provider === 'offline'
          ? 'offline'
          : 'model';
  return { kind, model: result.origin.model, label: result.origin.label };
}

/**
 * What the ledger's audit_id names for a chat model call: a model call has no audit row of its
 * own, so it links to the chat turn (`chat:<conversation>:<message>`) — the stored answer's ids,
 * and the conversation every tool-call audit row of the turn names in its model actor.
 */
export function chatTurnAuditId(conversationId: string, messageId: string): string {
  return `chat:${conversationId}:${messageId}`;
}

export async function runAgentTurn(deps: AgentDeps, request: AgentTurnRequest): Promise<AgentTurnOutcome> {
  const limits = { ...DEFAULT_AGENT_LIMITS, ...deps.limits };
  const started = deps.clock.now();
  const deadline = started + limits.turnTimeoutMs;
  const classification = request.classification ?? deps.classify(request.text);
  const offered = classification.tools
    .map((name) => deps.tools.find((tool) => tool.name === name))
    .filter((tool): tool is AnyToolDefinition => tool !== undefined)
    .slice(0, 3);
  const specs = offered.map(toModelToolSpec);
  const actor = { kind: 'model' as const, modelId: 'pending', conversationId: request.conversationId };

  const messages: ModelMessage[] = [...request.history, { role: 'user', content: request.text }];
  const added: ModelMessage[] = [];
  const cards: ToolCard[] = [];
  let usage = ZERO;
  let system = systemPrompt();
  // Memory and other context: the providers' share of what the gateway says is left.
  if (deps.contextProviders && deps.contextProviders.length > 0) {
    const budget = Math.floor(
      deps.gateway.contextBudget({
        class: 'user',
        category: classification.category,
        system,
        tools: specs,
        messages,
        maxOutputTokens: limits.maxOutputTokens,
      }) * limits.memoryShare,
    );
    const blocks: string[] = [];
    for (const provider of deps.contextProviders) {
      try {
        blocks.push(...(await provider({ conversationId: request.conversationId, text: request.text, user: request.user, budgetTokens: Math.max(0, budget) })));
      } catch {
        // A failing provider costs its context, never the turn.
      }
    }
    system = systemPrompt(blocks);
  }

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error('turn deadline')), limits.turnTimeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
  let repaired = false;
  let provider: 'cloud' | undefined;
  /** Set for the one call that moves the conversation to the cloud model (the gateway re-pins and records it). */
  let escalate: { readonly to: 'cloud'; readonly reason: string } | undefined;
  let last: ModelResult | undefined;
  let escalation: string | undefined;
  let steps = 0;
  /** The read calls of this turn while it is read-only (undefined once anything else happened): its answer may be cached. */
  let reads: PlannedRead[] | undefined = [];
  const auditId = request.auditId ?? chatTurnAuditId(request.conversationId, request.messageId);
  const runCall = async (toolCall: ModelToolCall, tool: AnyToolDefinition): Promise<ToolCard> => {
    const result = await runTool(tool, toolCall.input, deps.toolContext({ ...actor }), signal);
    const card = toolCard(toolCall.id, tool.name, toolCall.input, tool.category, result);
    cards.push(card);
    request.onEvent?.({ type: 'tool-call', card });
    const assistant: ModelMessage = { role: 'assistant', content: last?.text ?? '', toolCalls: [toolCall] };
    const toolMessage: ModelMessage = { role: 'tool', toolCallId: toolCall.id, toolName: tool.name, content: modelText(tool.name, result, deps.clock.now()) };
    messages.push(assistant, toolMessage);
    added.push(assistant, toolMessage);
    if (reads && tool.category === 'read' && result.ok) reads.push({ name: tool.name, input: toolCall.input });
    else reads = undefined;
    return card;
  };
  const finish = (stoppedBy: ChatStop, text: string): AgentTurnOutcome => {
    const answer: ChatAnswer = {
      conversationId: request.conversationId,
      messageId: request.messageId,
      text,
      origin: last ? chatOrigin(last) : { kind: 'offline', model: 'offline', label: 'offline mode' },
      category: classification.category,
      ...(escalation ? { escalation } : {}),
      usage,
      latencyMs: deps.clock.now() - started,
      steps,
      stoppedBy,
      toolCalls: cards,
      personaVersion: PERSONA_VERSION,
      tools: offered.map((tool) => tool.name),
    };
    return { kind: 'answer', result: { answer, added } };
  };
  const fallback = (reason: string): AgentTurnOutcome => ({
    kind: 'fallback',
    reason,
    category: classification.category,
    tools: offered.map((tool) => tool.name),
    usage,
    toolCalls: cards,
  });

  try {
    // Asked before within the cache's lifetime: re-run the same reads, so the final step can be a cache hit.
    const planKey = readPlanKey(
      request.text,
      offered.map((tool) => tool.name),
    );
    const plan = deps.readPlans?.get(planKey, started) ?? [];
    for (const [index, planned] of plan.entries()) {
      const tool = offered.find((candidate) => candidate.name === planned.name && candidate.category === 'read');
      if (!tool || signal.aborted) break;
      await runCall({ id: `${request.messageId}-read-${index}`, name: tool.name, input: planned.input }, tool);
    }
    for (;;) {
      if (request.signal?.aborted) return finish('aborted', last?.text ? `${last.text}\n(stopped)` : 'Stopped.');
      const maxSteps = last?.origin.provider === 'cloud' ? limits.maxStepsCloud : limits.maxStepsLocal;
      if (steps >= maxSteps)
        return finish(
          'step-limit',
          `${last?.text ? `${last.text}\n` : ''}I stopped after ${steps} steps without a final answer. Ask a narrower question, or ask for Claude with /claude.`,
        );
      if (deps.clock.now() >= deadline || timeout.signal.aborted)
        return finish('time-limit', `I ran out of time (${Math.round(limits.turnTimeoutMs / 1000)} s) before finishing.`);
      steps += 1;
      const call = await deps.gateway.complete({
        purpose: 'chat',
        class: 'user',
        category: provider === 'cloud' ? 'complex' : classification.category,
        conversationId: request.conversationId,
        system,
        messages,
        tools: specs,
        maxOutputTokens: limits.maxOutputTokens,
        signal,
        ...(escalate ? { escalate } : {}),
        ...(reads && !escalate ? { cacheKeyExtra: toolResultsHash(added) } : {}),
        auditId,
        onTextDelta: (text) => request.onEvent?.({ type: 'text-delta', text }),
      });
      if (!call.ok) {
        if (request.signal?.aborted) return finish('aborted', 'Stopped.');
        if (timeout.signal.aborted) return finish('time-limit', `I ran out of time (${Math.round(limits.turnTimeoutMs / 1000)} s) before finishing.`);
        return fallback(`${call.error.code}: ${call.error.message}`);
      }
      escalate = undefined;
      last = call.value;
      // The first step's route decides the turn's model (later steps are pinned to it): keep its reason.
      if (escalation === undefined && call.value.escalation)
        escalation = `${call.value.escalation.from} -> ${call.value.escalation.to}: ${call.value.escalation.reason}`;
      usage = addUsage(usage, call.value.usage);
      actor.modelId = call.value.origin.model.slice(0, 128) || 'model';
      if (call.value.toolCalls.length === 0) {
        added.push({ role: 'assistant', content: call.value.text });
        if (reads && !call.value.cached && call.value.finishReason === 'stop') deps.readPlans?.set(planKey, reads, deps.clock.now());
        return finish('answer', call.value.text || (call.value.finishReason === 'length' ? '(the answer was cut off)' : ''));
      }
      // One call per step (parallel_tool_calls is off; a runaway list is cut to its first call).
      const toolCall: ModelToolCall = call.value.toolCalls[0]!;
      const invalid =
        call.value.finishReason === 'length' ? 'the call was cut off (output token limit)' : validateToolCall(offered, toolCall.name, toolCall.input);
      const assistant: ModelMessage = { role: 'assistant', content: call.value.text, toolCalls: [toolCall] };
      if (invalid !== undefined) {
        const card = invalidCard(toolCall.id, toolCall.name, toolCall.input, invalid);
        reads = undefined;
        cards.push(card);
        request.onEvent?.({ type: 'tool-call', card });
        if (repaired) {
          if (last.origin.provider === 'local' && provider === undefined && deps.gateway.status().cloud?.up) {
            provider = 'cloud';
            escalation = `local model made two invalid tool calls (${invalid.slice(0, 120)}): escalated to the cloud model`;
            escalate = { to: 'cloud', reason: escalation };
            messages.splice(request.history.length + 1);
            added.length = 0;
            repaired = false;
            continue;
          }
          return fallback(`the model made two invalid tool calls: ${invalid.slice(0, 200)}`);
        }
        repaired = true;
        const feedback: ModelMessage = {
          role: 'tool',
          toolCallId: toolCall.id,
          toolName: toolCall.name.slice(0, 64),
          content: `Invalid call, nothing ran: ${invalid}. Call the tool again with valid arguments, or answer without it.`,
        };
        messages.push(assistant, feedback);
        added.push(assistant, feedback);
        continue;
      }
      const card = await runCall(
        toolCall,
        offered.find((candidate) => candidate.name === toolCall.name)!,
      );
      if (card.verdict === 'needs-confirmation' && card.ticket) {
        // A human decides now: the loop stops and the chat shows the inline approval card.
        return finish('needs-confirmation', `This needs a human: ticket ${card.ticket.id} (${card.ticket.preview}). Approve or reject it below; nothing ran.`);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}
