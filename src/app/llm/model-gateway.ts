/**
 * The ModelGateway: routing, degradation, pinning, the answer cache and per-provider cooldowns
 * around the two provider pipelines (each an onion of retry, budget and scheduler layers around a
 * client, built by `createModelGateway`). Never throws; every result says which model or mode
 * produced it and why it went where it went.
 */
import { createHash } from 'node:crypto';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import { cacheKey } from '../../core/llm/cache-key.ts';
import { availableContext, estimateTokens, messageTokens, toolTokens, type TokenCalibration } from '../../core/llm/context-budget.ts';
import type { ModelClient } from '../../core/llm/model-client.ts';
import type { ModelGateway, ModelGatewayStatus, ModelOrigin, ModelProvider, ModelRequest, ModelResult } from '../../core/llm/model-port.ts';
import { decideRoute, preferredProvider, type ProviderState } from '../../core/llm/route.ts';
import type { AnswerCache } from './answer-cache.ts';
import type { CallModel } from './model-layers.ts';

export interface ProviderPipeline {
  readonly client: ModelClient;
  /** The composed layers for this provider. */
  readonly call: CallModel;
  /** Why this provider may not be used at all (broken price, missing key); shown in status. */
  readonly disabledReason?: string | undefined;
  /** Why it is unusable right now (server down, loading, over budget …), or undefined. */
  readonly unusableReason: () => string | undefined;
  /** Tokens of context one request may use. */
  readonly contextTokens: () => number;
  readonly defaultMaxOutputTokens: number;
  readonly calibration: () => TokenCalibration;
  /** Slots of the local server, when known. */
  readonly slots?: (() => number | undefined) | undefined;
}

export interface CanaryState {
  readonly ok: boolean;
  readonly at: number;
  readonly detail?: string | undefined;
}

export interface GatewayEvent {
  readonly outcome: 'ok' | 'cache-hit' | 'error' | 'offline';
  readonly provider?: ModelProvider | undefined;
  readonly code?: string | undefined;
  readonly request: ModelRequest;
  readonly escalation?: ModelResult['escalation'];
  readonly costUsd?: number | undefined;
  /** ok / error after a provider call: how long the call took (slot wait included), ms. */
  readonly latencyMs?: number | undefined;
}

export interface GatewayOptions {
  readonly local?: ProviderPipeline | undefined;
  readonly cloud?: ProviderPipeline | undefined;
  readonly cache: AnswerCache;
  readonly now: () => number;
  readonly canary?: (() => CanaryState | undefined) | undefined;
  readonly overBudget?: (() => { cap: string; resetsAt: number } | undefined) | undefined;
  readonly onEvent?: ((event: GatewayEvent) => void) | undefined;
}

/** How long a provider is skipped after a failure, by error code (429 uses retry-after). */
const COOLDOWN_MS: Partial<Record<JarvisError['code'], number>> = {
  LLM_UNAVAILABLE: 15_000,
  LLM_TIMEOUT: 15_000,
  LLM_OVERLOADED: 30_000,
  LLM_RATE_LIMITED: 60_000,
  LLM_AUTH: 600_000,
};
/** Failures that send the request to the other provider (when routing allows). */
const FALL_BACK = new Set<JarvisError['code']>([
  'LLM_UNAVAILABLE',
  'LLM_TIMEOUT',
  'LLM_OVERLOADED',
  'LLM_RATE_LIMITED',
  'LLM_AUTH',
  'LLM_BUDGET_EXCEEDED',
  'LLM_CAPACITY',
]);
const PIN_LIMIT = 10_000;

/** A conversation's model and how it got there: the first answer pins it; only a recorded escalation moves it. */
export interface ConversationPin {
  readonly provider: ModelProvider;
  readonly escalations: readonly { readonly from: ModelProvider; readonly to: ModelProvider; readonly reason: string; readonly at: number }[];
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

export class LlmGateway implements ModelGateway {
  readonly #options: GatewayOptions;
  readonly #cooldowns = new Map<ModelProvider, { until: number; reason: string }>();
  readonly #pins = new Map<string, ConversationPin>();

  constructor(options: GatewayOptions) {
    this.#options = options;
  }

  #pipeline(provider: ModelProvider): ProviderPipeline | undefined {
    return provider === 'local' ? this.#options.local : this.#options.cloud;
  }

  /** Cooldowns still running, for status and /metrics. */
  cooldowns(): ReadonlyMap<ModelProvider, { until: number; reason: string }> {
    const now = this.#options.now();
    for (const [provider, cooldown] of this.#cooldowns) if (cooldown.until <= now) this.#cooldowns.delete(provider);
    return this.#cooldowns;
  }

  #state(provider: ModelProvider, failed: ReadonlyMap<ModelProvider, string>): ProviderState {
    const pipeline = this.#pipeline(provider);
    if (!pipeline) return { configured: false };
    if (pipeline.disabledReason !== undefined) return { configured: true, unusable: pipeline.disabledReason };
    const failure = failed.get(provider);
    if (failure !== undefined) return { configured: true, unusable: failure };
    const cooldown = this.cooldowns().get(provider);
    if (cooldown) return { configured: true, unusable: `${cooldown.reason} (cooling down until ${new Date(cooldown.until).toISOString()})` };
    const unusable = pipeline.unusableReason();
    if (unusable !== undefined) return { configured: true, unusable };
    const canary = provider === 'local' ? this.#options.canary?.() : undefined;
    if (canary && !canary.ok) return { configured: true, unusable: `the canary check failed${canary.detail ? `: ${canary.detail}` : ''}` };
    return { configured: true };
  }

  #origin(client: ModelClient): ModelOrigin {
    return { provider: client.provider, model: client.model, label: client.simulated ? 'simulated model' : client.label, simulated: client.simulated };
  }

  #coolDown(provider: ModelProvider, error: JarvisError): void {
    const base = COOLDOWN_MS[error.code];
    if (base === undefined) return;
    const retryAfter = Number(error.details?.['retryAfterMs']);
    const duration = error.code === 'LLM_RATE_LIMITED' && Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : base;
    this.#cooldowns.set(provider, { until: this.#options.now() + duration, reason: error.message });
  }

  async complete(request: ModelRequest): Promise<Result<ModelResult, JarvisError>> {
    if (request.messages.length === 0) return err(jarvisError('INVALID_INPUT', 'a model request needs at least one message'));
    const pinned = request.conversationId !== undefined ? this.#pins.get(request.conversationId)?.provider : undefined;
    const failed = new Map<ModelProvider, string>();
    let escalation: ModelResult['escalation'];
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const decision = decideRoute({
        category: request.category,
        requestClass: request.class,
        forced: request.provider,
        pinned,
        escalate: request.escalate,
        local: this.#state('local', failed),
        cloud: this.#state('cloud', failed),
      });
      if (decision.provider === 'offline') {
        this.#options.onEvent?.({ outcome: 'offline', request });
        return err(
          jarvisError('LLM_UNAVAILABLE', `no model can answer: ${decision.reason}`, {
            hint: 'Jarvis answers in offline mode (rules and commands) until a model is back',
            details: { offline: true, from: decision.from, reason: decision.reason },
          }),
        );
      }
      escalation ??= decision.escalation;
      const pipeline = this.#pipeline(decision.provider)!;
      const origin = this.#origin(pipeline.client);
      const key = request.cacheKeyExtra !== undefined ? this.#cacheKey(request, pipeline.client.model) : undefined;
      const hit = key !== undefined ? this.#options.cache.get(key, this.#options.now()) : undefined;
      if (hit) {
        this.#options.onEvent?.({ outcome: 'cache-hit', provider: decision.provider, request });
        return ok({
          ...hit,
          cached: true,
          latencyMs: 0,
          // No model ran: no tokens, no cost (the stored answer keeps what it cost the first time).
          usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 },
          origin: { provider: 'cache', model: hit.origin.model, label: `cached answer (${hit.origin.label})`, simulated: hit.origin.simulated },
          escalation,
        });
      }
      const started = this.#options.now();
      const result = await pipeline.call({
        request,
        messages: request.messages,
        maxOutputTokens: request.maxOutputTokens ?? pipeline.defaultMaxOutputTokens,
        signal: request.signal,
      });
      if (result.ok) {
        const output = result.value;
        const answer: ModelResult = {
          text: output.text,
          toolCalls: output.toolCalls,
          finishReason: output.finishReason,
          usage: { inputTokens: output.inputTokens, outputTokens: output.outputTokens, cachedInputTokens: output.cachedInputTokens, costUsd: output.costUsd },
          origin,
          escalation,
          cached: false,
          latencyMs: Math.max(0, this.#options.now() - started),
          ...(output.droppedTools && output.droppedTools.length > 0 ? { droppedTools: output.droppedTools } : {}),
        };
        this.#pin(request, decision.provider, escalation);
        if (key !== undefined && output.finishReason === 'stop' && output.toolCalls.length === 0 && output.text.trim() !== '')
          this.#options.cache.set(key, answer, this.#options.now());
        this.#options.onEvent?.({ outcome: 'ok', provider: decision.provider, request, escalation, costUsd: output.costUsd, latencyMs: answer.latencyMs });
        return ok(answer);
      }
      const error = result.error;
      const callerAborted = request.signal?.aborted === true;
      this.#options.onEvent?.({
        outcome: 'error',
        provider: decision.provider,
        code: error.code,
        request,
        latencyMs: Math.max(0, this.#options.now() - started),
      });
      if (callerAborted || !FALL_BACK.has(error.code)) return result;
      if (error.code !== 'LLM_CAPACITY' && error.code !== 'LLM_BUDGET_EXCEEDED') this.#coolDown(decision.provider, error);
      // A pinned conversation and an explicit escalation never fall back to another model.
      if (pinned !== undefined || request.escalate !== undefined) return result;
      failed.set(decision.provider, error.message);
      escalation = undefined;
    }
    return err(jarvisError('LLM_UNAVAILABLE', `no model could answer: ${[...failed.values()].join('; ')}`, { details: { offline: true } }));
  }

  /** Pins a new conversation to the model that answered; an explicit escalation re-pins it, recorded with its reason. */
  #pin(request: ModelRequest, provider: ModelProvider, escalation: ModelResult['escalation']): void {
    if (request.conversationId === undefined) return;
    const current = this.#pins.get(request.conversationId);
    const explicit = request.escalate !== undefined && escalation !== undefined && escalation.to !== 'offline';
    if (current !== undefined && !explicit) return;
    const recorded = explicit ? [{ from: escalation.from, to: provider, reason: escalation.reason, at: this.#options.now() }] : [];
    this.#pins.delete(request.conversationId);
    this.#pins.set(request.conversationId, { provider, escalations: [...(current?.escalations ?? []), ...recorded] });
    if (this.#pins.size > PIN_LIMIT) this.#pins.delete(this.#pins.keys().next().value!);
  }

  #cacheKey(request: ModelRequest, model: string): string {
    const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
    return cacheKey({
      question: lastUser?.content ?? '',
      tools: (request.tools ?? []).map((tool) => tool.name),
      personaVersion: hash(request.system),
      model,
      toolResultsHash: request.cacheKeyExtra ?? '',
    });
  }

  /** The provider a conversation is pinned to, if any. */
  pinnedProvider(conversationId: string): ModelProvider | undefined {
    return this.#pins.get(conversationId)?.provider;
  }

  /** The conversation's pin with every escalation that moved it (reason, time). */
  pinOf(conversationId: string): ConversationPin | undefined {
    return this.#pins.get(conversationId);
  }

  contextBudget(request: Pick<ModelRequest, 'class' | 'category' | 'system' | 'tools' | 'messages' | 'maxOutputTokens'>): number {
    const decision = decideRoute({
      category: request.category,
      requestClass: request.class,
      local: this.#state('local', new Map()),
      cloud: this.#state('cloud', new Map()),
    });
    const provider = decision.provider === 'offline' ? preferredProvider(request.category) : decision.provider;
    const pipeline = this.#pipeline(provider);
    if (!pipeline) return 0;
    const calibration = pipeline.calibration();
    return availableContext({
      slotContext: pipeline.contextTokens(),
      systemTokens: estimateTokens(request.system, calibration),
      toolTokens: toolTokens(request.tools, calibration),
      queryTokens: request.messages.reduce((sum, message) => sum + messageTokens(message, calibration), 0),
      responseReserve: request.maxOutputTokens ?? pipeline.defaultMaxOutputTokens,
    });
  }

  status(): ModelGatewayStatus {
    const none = new Map<ModelProvider, string>();
    const local = this.#options.local;
    const cloud = this.#options.cloud;
    const localState = this.#state('local', none);
    const cloudState = this.#state('cloud', none);
    const overBudget = cloud ? this.#options.overBudget?.() : undefined;
    const canary = this.#options.canary?.();
    const localUp = local !== undefined && localState.unusable === undefined;
    const cloudUp = cloud !== undefined && cloudState.unusable === undefined;
    let mode: ModelGatewayStatus['mode'];
    if (!local && !cloud) mode = 'no-model';
    else if ((local?.client.simulated ?? false) || (cloud?.client.simulated ?? false)) mode = 'simulated';
    else if (localUp && cloudUp) mode = 'hybrid';
    else if (overBudget && !localUp) mode = 'over-budget';
    else if (localUp) mode = cloud && overBudget ? 'over-budget' : 'local-only';
    else if (cloudUp) mode = 'cloud-only';
    else mode = 'down';
    return {
      mode,
      ...(local
        ? {
            local: {
              model: local.client.model,
              up: localUp,
              ...this.#localCapacityFields(local),
              ...(localState.unusable ? { reason: localState.unusable } : {}),
            },
          }
        : {}),
      ...(cloud
        ? {
            cloud: {
              model: cloud.client.model,
              up: cloudUp,
              ...(overBudget ? { overBudget } : {}),
              ...(cloudState.unusable ? { reason: cloudState.unusable } : {}),
            },
          }
        : {}),
      ...(canary ? { canary } : {}),
    };
  }

  #localCapacityFields(local: ProviderPipeline): { slots?: number; slotContext?: number } {
    const context = local.contextTokens();
    const slots = local.slots?.();
    return { ...(slots !== undefined ? { slots } : {}), ...(context > 0 ? { slotContext: context } : {}) };
  }
}
