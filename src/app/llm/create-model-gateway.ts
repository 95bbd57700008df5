/**
 * Builds the gateway from ports: per provider, the onion
 *   retry (trim / capacity / truncation)  ->  budget (reserve, settle)  ->  scheduler (local only)  ->  client
 * plus routing, cache, cooldowns and the canary around them (LlmGateway). Reads local capacity
 * from the server at start and periodically. The cli composes the adapters and calls this.
 */
import { capWindow, checkCaps, CAP_NAMES, type CapName, type SpendCaps } from '../../core/llm/budget-caps.ts';
import { judgeCanary, type CanaryQuestion } from '../../core/llm/canary.ts';
import { INITIAL_CALIBRATION, type TokenCalibration } from '../../core/llm/context-budget.ts';
import type { LocalCapacity, LocalCapacityProbe, ModelClient } from '../../core/llm/model-client.ts';
import type { ModelProvider, ModelRequestClass } from '../../core/llm/model-port.ts';
import { FREE, type ModelPrice } from '../../core/llm/prices.ts';
import type { SpendLedger } from '../../core/llm/spend-ledger.ts';
import { AnswerCache } from './answer-cache.ts';
import { budgetLayer } from './budget-layer.ts';
import { LlmGateway, type CanaryState, type GatewayEvent, type ProviderPipeline } from './model-gateway.ts';
import { clientCall, composeLayers, type ModelLayer } from './model-layers.ts';
import { retryLayer } from './retry-layer.ts';
import { schedulerLayer } from './scheduler-layer.ts';
import { SlotScheduler } from './slot-scheduler.ts';

export interface GatewayLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface LocalModelDeps {
  readonly client: ModelClient;
  readonly probe: LocalCapacityProbe;
  /** `auto` assumes per-slot contexts until the server reports a shared-pool overrun. */
  readonly kvUnified: 'auto' | boolean;
  readonly reservedUserSlots: number;
  readonly backgroundWaitMs: number;
  readonly pinSlots: boolean;
  readonly defaultMaxOutputTokens: number;
  readonly refreshMs: number;
  readonly price?: ModelPrice | undefined;
  readonly disabledReason?: string | undefined;
}

export interface CloudModelDeps {
  readonly client: ModelClient;
  /** Undefined = disabled (disabledReason says why). */
  readonly price?: ModelPrice | undefined;
  readonly disabledReason?: string | undefined;
  readonly contextTokens: number;
  readonly defaultMaxOutputTokens: number;
}

export interface ModelGatewayDeps {
  readonly local?: LocalModelDeps | undefined;
  readonly cloud?: CloudModelDeps | undefined;
  readonly ledger: SpendLedger;
  readonly caps: SpendCaps;
  readonly cacheTtlMs: number;
  readonly now: () => number;
  readonly setTimer: (callback: () => void, ms: number) => () => void;
  readonly canary?: (CanaryQuestion & { readonly intervalMs: number }) | undefined;
  readonly log?: GatewayLog | undefined;
  readonly onEvent?: ((event: GatewayEvent) => void) | undefined;
  readonly onQueueWait?: ((ms: number, requestClass: ModelRequestClass) => void) | undefined;
}

export interface GatewayStats {
  readonly spendUsd: Record<CapName, number>;
  readonly capsUsd: SpendCaps;
  readonly running: Record<ModelRequestClass, number>;
  readonly queued: Record<ModelRequestClass, number>;
  readonly cooldowns: ReadonlyMap<ModelProvider, { until: number; reason: string }>;
  readonly canary?: CanaryState | undefined;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly sharedPool: boolean;
}

export interface GatewayListener {
  onEvent?(event: GatewayEvent): void;
  onQueueWait?(ms: number, requestClass: ModelRequestClass): void;
}

export interface ModelGatewayHandle {
  readonly gateway: LlmGateway;
  /** Adds an observer (metrics, logs) of every call outcome and local queue wait. */
  subscribe(listener: GatewayListener): void;
  /** Reads capacity once and starts the periodic refresh and canary. */
  start(): Promise<void>;
  stop(): void;
  refreshCapacity(): Promise<void>;
  runCanary(): Promise<CanaryState | undefined>;
  stats(): GatewayStats;
  capacity(): LocalCapacity | undefined;
}

export function createModelGateway(deps: ModelGatewayDeps): ModelGatewayHandle {
  const calibrations = new Map<ModelProvider, TokenCalibration>([
    ['local', INITIAL_CALIBRATION],
    ['cloud', INITIAL_CALIBRATION],
  ]);
  const calibrationOf = (provider: ModelProvider) => () => calibrations.get(provider) ?? INITIAL_CALIBRATION;
  const setCalibrationOf = (provider: ModelProvider) => (value: TokenCalibration) => calibrations.set(provider, value);
  let capacity: LocalCapacity | undefined;
  let localDown: string | undefined = deps.local ? 'capacity not read yet' : undefined;
  let learnedSharedPool = false;
  let canaryState: CanaryState | undefined;
  const sharedPool = (): boolean => (deps.local?.kvUnified === 'auto' ? learnedSharedPool : deps.local?.kvUnified === true);
  const cache = new AnswerCache({ ttlMs: deps.cacheTtlMs });
  const listeners: GatewayListener[] = [{ ...(deps.onEvent ? { onEvent: deps.onEvent } : {}), ...(deps.onQueueWait ? { onQueueWait: deps.onQueueWait } : {}) }];
  const onEvent = (event: GatewayEvent): void => {
    for (const listener of listeners) listener.onEvent?.(event);
    if (event.escalation)
      deps.log?.info(
        { purpose: event.request.purpose, from: event.escalation.from, to: event.escalation.to, reason: event.escalation.reason },
        'llm: request escalated',
      );
  };
  const onQueueWait = (ms: number, requestClass: ModelRequestClass): void => {
    for (const listener of listeners) listener.onQueueWait?.(ms, requestClass);
  };

  const scheduler = new SlotScheduler({
    capacity: () => ({ slots: capacity?.slots ?? 1, slotContext: capacity?.slotContext ?? 0, sharedPool: sharedPool() }),
    reservedUserSlots: deps.local?.reservedUserSlots ?? 1,
    backgroundWaitMs: deps.local?.backgroundWaitMs ?? 30_000,
    now: deps.now,
    setTimer: deps.setTimer,
    onShed: (reason) => deps.log?.warn({ reason }, 'llm: background work shed'),
  });

  const overBudget = (): { cap: CapName; resetsAt: number } | undefined => {
    const now = deps.now();
    const exceeded = checkCaps(deps.caps, 1e-9, now, (start) => deps.ledger.committed(start));
    return exceeded ? { cap: exceeded.cap, resetsAt: exceeded.resetsAt } : undefined;
  };

  let local: ProviderPipeline | undefined;
  if (deps.local) {
    const options = deps.local;
    const layers: ModelLayer[] = [
      retryLayer({
        contextTokens: () => capacity?.slotContext ?? 0,
        calibration: calibrationOf('local'),
        setCalibration: setCalibrationOf('local'),
        onSharedPoolOverrun: () => {
          if (options.kvUnified === 'auto' && !learnedSharedPool) {
            learnedSharedPool = true;
            deps.log?.warn(
              {},
              'llm: the local server reported a shared KV pool overrun; scheduling against one shared pool from now on (set llm.local.kvUnified to make it explicit)',
            );
          }
        },
      }),
      budgetLayer({ ledger: deps.ledger, provider: 'local', model: options.client.model, price: options.price ?? FREE, caps: () => ({}), now: deps.now }),
      schedulerLayer({
        scheduler,
        pinSlots: options.pinSlots,
        calibration: calibrationOf('local'),
        onQueueWait,
        onPreempted: (purpose) => deps.log?.info({ purpose }, 'llm: background request preempted by a user request; requeued'),
      }),
    ];
    local = {
      client: options.client,
      call: composeLayers(clientCall(options.client), layers),
      disabledReason: options.disabledReason,
      unusableReason: () => localDown,
      contextTokens: () => capacity?.slotContext ?? 0,
      defaultMaxOutputTokens: options.defaultMaxOutputTokens,
      calibration: calibrationOf('local'),
      slots: () => capacity?.slots,
    };
  }

  let cloud: ProviderPipeline | undefined;
  if (deps.cloud) {
    const options = deps.cloud;
    const price = options.price;
    const layers: ModelLayer[] = [
      retryLayer({ contextTokens: () => options.contextTokens, calibration: calibrationOf('cloud'), setCalibration: setCalibrationOf('cloud') }),
      ...(price ? [budgetLayer({ ledger: deps.ledger, provider: 'cloud', model: options.client.model, price, caps: () => deps.caps, now: deps.now })] : []),
    ];
    cloud = {
      client: options.client,
      call: composeLayers(clientCall(options.client), layers),
      disabledReason: options.disabledReason ?? (price ? undefined : 'no valid price for the cloud model'),
      unusableReason: () => {
        const exceeded = overBudget();
        return exceeded ? `the ${exceeded.cap} budget cap is used up until ${new Date(exceeded.resetsAt).toISOString()}` : undefined;
      },
      contextTokens: () => options.contextTokens,
      defaultMaxOutputTokens: options.defaultMaxOutputTokens,
      calibration: calibrationOf('cloud'),
    };
  }

  const gateway = new LlmGateway({ local, cloud, cache, now: deps.now, canary: () => canaryState, overBudget: cloud ? overBudget : undefined, onEvent });

  const refreshCapacity = async (): Promise<void> => {
    if (!deps.local) return;
    const health = await deps.local.probe.health();
    if (!health.ok) {
      localDown = health.error.message;
      return;
    }
    if (health.value === 'loading') {
      localDown = 'the local model server is loading its model (/health 503)';
      return;
    }
    const probed = await deps.local.probe.probe();
    if (!probed.ok) {
      localDown = probed.error.message;
      return;
    }
    const changed = capacity?.slots !== probed.value.slots || capacity?.slotContext !== probed.value.slotContext;
    capacity = probed.value;
    localDown =
      probed.value.supportsToolCalls === false ? "the local model's chat template does not support tool calls (start llama-server with --jinja)" : undefined;
    if (changed)
      deps.log?.info(
        { slots: capacity.slots, slotContext: capacity.slotContext, build: capacity.build, sharedPool: sharedPool() },
        'llm: local capacity read from the server',
      );
  };

  const runCanary = async (): Promise<CanaryState | undefined> => {
    if (!deps.canary || !local) return undefined;
    const question = deps.canary;
    const result = await local.call({
      request: {
        purpose: 'canary',
        class: 'background',
        category: 'routine',
        system: question.system,
        messages: [{ role: 'user', content: question.question }],
      },
      messages: [{ role: 'user', content: question.question }],
      maxOutputTokens: 16,
    });
    if (!result.ok) {
      // Shed or no slot: not a verdict on the model. A down server is already visible.
      if (result.error.code === 'LLM_SHED' || result.error.code === 'LLM_CAPACITY') return canaryState;
      canaryState = { ok: false, at: deps.now(), detail: `canary call failed: ${result.error.message}` };
    } else {
      const verdict = judgeCanary(result.value.text, question.expected);
      canaryState = { ok: verdict.ok, at: deps.now(), detail: verdict.detail };
    }
    if (!canaryState.ok) deps.log?.warn({ detail: canaryState.detail }, 'llm: canary failed; routine work shifts to Claude or rules');
    return canaryState;
  };

  const stops: Array<() => void> = [];
  const every = (ms: number, task: () => Promise<unknown>): void => {
    let cancel = (): void => undefined;
    const loop = (): void => {
      cancel = deps.setTimer(() => {
        task()
          .catch((error: unknown) => deps.log?.warn({ error: String(error) }, 'llm: periodic task failed'))
          .finally(loop);
      }, ms);
    };
    loop();
    stops.push(() => cancel());
  };

  return {
    gateway,
    subscribe: (listener) => void listeners.push(listener),
    capacity: () => capacity,
    refreshCapacity,
    runCanary,
    async start() {
      if (!deps.local) return;
      await refreshCapacity();
      every(deps.local.refreshMs, refreshCapacity);
      if (deps.canary) {
        void runCanary();
        every(deps.canary.intervalMs, runCanary);
      }
    },
    stop() {
      for (const stop of stops.splice(0)) stop();
    },
    stats() {
      const now = deps.now();
      const spendUsd = Object.fromEntries(CAP_NAMES.map((cap) => [cap, deps.ledger.committed(capWindow(cap, now).start)])) as Record<CapName, number>;
      const schedulerStats = scheduler.stats();
      return {
        spendUsd,
        capsUsd: deps.caps,
        running: schedulerStats.running,
        queued: schedulerStats.queued,
        cooldowns: gateway.cooldowns(),
        canary: canaryState,
        cacheHits: cache.hits,
        cacheMisses: cache.misses,
        sharedPool: sharedPool(),
      };
    },
  };
}
