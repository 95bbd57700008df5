/**
 * Composes the model gateway from config and secrets: picks the adapters (llama-server through
 * the OpenAI-compatible client, Claude through the Anthropic client, the SQLite spend ledger),
 * validates the price table model by model, and calls the app's createModelGateway. With no model
 * configured and the embedded simulator running, the simulator's fakes stand in, labelled
 * "simulated model". The only place that knows whether the models are real.
 */
import { join } from 'node:path';
import { createCloudModelClient, createLocalModelClient } from '../../adapters/llm/create-model-clients.ts';
import { LlamaCapacityProbe } from '../../adapters/llm/llama-capacity-probe.ts';
import { SqliteSpendLedger } from '../../adapters/sqlite/sqlite-spend-ledger.ts';
import { createModelGateway, type GatewayLog, type ModelGatewayHandle } from '../../app/llm/create-model-gateway.ts';
import type { JarvisConfig } from '../../config/index.ts';
import { managementVmCanary } from '../../core/llm/canary.ts';
import { priceFor, validatePriceTable } from '../../core/llm/prices.ts';
import { err, ok, type JarvisError, type Result } from '../../core/errors.ts';

/** The simulator's fakes (from `startSimulator({ llm: true })`). */
export interface SimulatedModels {
  readonly localUrl: string;
  readonly cloudUrl: string;
  readonly cloudApiKey: string;
}

export interface BuiltModels {
  readonly handle: ModelGatewayHandle;
  readonly simulated: boolean;
  /** Configuration problems that disable one model (shown by doctor and in status reasons). */
  readonly problems: readonly string[];
  close(): void;
}

export const SIMULATED_MODEL_ID = 'simulated-model';

/** True when the config names neither a local nor a cloud model. */
export function noModelConfigured(config: JarvisConfig): boolean {
  return config.llm.local.baseUrl === undefined && config.llm.cloud.model === undefined;
}

export interface BuildModelsOptions {
  readonly simulated?: SimulatedModels | undefined;
  readonly log?: GatewayLog | undefined;
  readonly now?: () => number;
}

/** Undefined when AI is off or no model is configured (and none is simulated). */
export function buildModelGateway(config: JarvisConfig, options: BuildModelsOptions = {}): Result<BuiltModels | undefined, JarvisError> {
  const llm = config.llm;
  if (!llm.enabled) return ok(undefined);
  const simulated = noModelConfigured(config) ? options.simulated : undefined;
  if (!simulated && noModelConfigured(config)) return ok(undefined);
  const now = options.now ?? Date.now;
  const ledger = SqliteSpendLedger.open(join(config.paths.dataDir, 'llm.db'), now());
  if (!ledger.ok) return err(ledger.error);
  const prices = validatePriceTable(llm.prices);
  const problems = [...prices.disabled.values()];

  const localUrl = simulated ? `${simulated.localUrl}/v1` : llm.local.baseUrl;
  const localModel = simulated ? SIMULATED_MODEL_ID : (llm.local.model ?? 'local-model');
  let local: Parameters<typeof createModelGateway>[0]['local'];
  if (localUrl !== undefined) {
    const localPrice = priceFor(prices, 'local', localModel);
    const apiKey = simulated ? undefined : config.secrets.llmLocalApiKey;
    local = {
      client: createLocalModelClient({
        baseUrl: localUrl,
        model: localModel,
        apiKey,
        label: simulated ? 'simulated model' : llm.local.label,
        simulated: simulated !== undefined,
        toolTokenBudget: llm.local.toolTokenBudget,
      }),
      probe: new LlamaCapacityProbe({
        baseUrl: localUrl,
        apiKey,
        slotsOverride: llm.local.slots,
        slotContextOverride: llm.local.slotContext,
        timeoutMs: config.timeouts.pveMs,
      }),
      kvUnified: llm.local.kvUnified,
      reservedUserSlots: llm.local.reservedUserSlots,
      backgroundWaitMs: llm.local.backgroundWaitSeconds * 1000,
      pinSlots: llm.local.pinSlots,
      defaultMaxOutputTokens: llm.local.maxOutputTokens,
      refreshMs: llm.local.capacityRefreshSeconds * 1000,
      price: 'price' in localPrice ? localPrice.price : undefined,
      disabledReason: 'reason' in localPrice ? localPrice.reason : undefined,
    };
  }

  const cloudModel = simulated ? SIMULATED_MODEL_ID : llm.cloud.model;
  let cloud: Parameters<typeof createModelGateway>[0]['cloud'];
  if (cloudModel !== undefined) {
    const apiKey = simulated ? simulated.cloudApiKey : config.secrets.anthropicApiKey;
    // The simulated Claude costs nothing; a real one needs a valid price.
    const cloudPrice = simulated
      ? { price: { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0, cacheWritePerMTok: 0 } }
      : priceFor(prices, 'cloud', cloudModel);
    const missingKey = apiKey === undefined ? 'no API key: set JARVIS_ANTHROPIC_API_KEY (or JARVIS_ANTHROPIC_API_KEY_FILE)' : undefined;
    if (missingKey) problems.push(missingKey);
    if ('reason' in cloudPrice) problems.push(cloudPrice.reason);
    cloud = {
      client: createCloudModelClient({
        model: cloudModel,
        apiKey: apiKey ?? 'missing',
        baseUrl: simulated ? `${simulated.cloudUrl}/v1` : llm.cloud.baseUrl,
        label: simulated ? 'simulated model' : undefined,
        simulated: simulated !== undefined,
      }),
      price: 'price' in cloudPrice ? cloudPrice.price : undefined,
      disabledReason: missingKey ?? ('reason' in cloudPrice ? cloudPrice.reason : undefined),
      contextTokens: llm.cloud.maxContextTokens,
      defaultMaxOutputTokens: llm.cloud.maxOutputTokens,
    };
  }

  const handle = createModelGateway({
    local,
    cloud,
    ledger: ledger.value,
    caps: { hourly: llm.caps.hourlyUsd, daily: llm.caps.dailyUsd, monthly: llm.caps.monthlyUsd },
    cacheTtlMs: llm.cache.ttlSeconds * 1000,
    now,
    setTimer: (callback, ms) => {
      const timer = setTimeout(callback, ms);
      timer.unref();
      return () => clearTimeout(timer);
    },
    // The simulated model cannot read a number from its prompt: no canary against it.
    canary:
      llm.canary.enabled && !simulated ? { ...managementVmCanary(config.topology.self.vmid), intervalMs: llm.canary.intervalMinutes * 60_000 } : undefined,
    log: options.log,
  });
  return ok({
    handle,
    simulated: simulated !== undefined,
    problems,
    close() {
      handle.stop();
      ledger.value.close();
    },
  });
}
