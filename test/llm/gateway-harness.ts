/**
 * Builds the real gateway (production AI SDK clients, capacity probe, SQLite ledger) against the
 * simulator's llama-server and Anthropic fakes, with a hand-set clock for cooldowns and caps.
 */
import { createCloudModelClient, createLocalModelClient } from '../../src/adapters/llm/create-model-clients.ts';
import { LlamaCapacityProbe } from '../../src/adapters/llm/llama-capacity-probe.ts';
import { openDatabase } from '../../src/adapters/sqlite/open-database.ts';
import { SqliteSpendLedger } from '../../src/adapters/sqlite/sqlite-spend-ledger.ts';
import { createModelGateway, type ModelGatewayHandle } from '../../src/app/llm/create-model-gateway.ts';
import type { SpendCaps } from '../../src/core/llm/budget-caps.ts';
import { managementVmCanary } from '../../src/core/llm/canary.ts';
import type { ModelRequest, ModelToolSpec } from '../../src/core/llm/model-port.ts';
import { priceFor, validatePriceTable, type ModelPrice } from '../../src/core/llm/prices.ts';
import { startAnthropicFake, startLlamaServerFake, type AnthropicFake, type LlamaServerFake, type LlamaServerFakeOptions } from '../../src/sim/llm/index.ts';

export interface Harness {
  readonly handle: ModelGatewayHandle;
  readonly llama: LlamaServerFake | undefined;
  readonly anthropic: AnthropicFake | undefined;
  readonly ledger: SqliteSpendLedger;
  /** The ledger's rows as stored (llm_spend), oldest first. */
  ledgerRows(): Array<Record<string, unknown>>;
  readonly clock: { now: number };
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly local?: LlamaServerFakeOptions | false;
  /** A local URL nobody listens on (local configured but down). */
  readonly localDown?: boolean;
  readonly cloud?: boolean;
  readonly caps?: SpendCaps;
  readonly reservedUserSlots?: number;
  readonly kvUnified?: 'auto' | boolean;
  /** `llm.prices` entry of the cloud model, checked by the product's price validation; `null` = no entry. */
  readonly cloudPrice?: Readonly<Record<string, unknown>> | null | undefined;
}

export const PRICE = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 };

/** The cloud model's price as the product decides it (src/cli/compose/build-model-gateway.ts): validated, or disabled with a reason. */
function cloudPriceOf(raw: HarnessOptions['cloudPrice']): { price?: ModelPrice; disabledReason?: string } {
  if (raw === undefined) return { price: PRICE };
  const decided = priceFor(validatePriceTable(raw === null ? {} : { 'claude-test': raw }), 'cloud', 'claude-test');
  return 'price' in decided ? { price: decided.price } : { disabledReason: decided.reason };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const llama = options.local === false || options.localDown ? undefined : await startLlamaServerFake({ slots: 4, ctx: 16384, ...(options.local ?? {}) });
  const anthropic = options.cloud === false ? undefined : await startAnthropicFake({ apiKey: 'sk-ant-test' });
  const database = openDatabase(':memory:');
  const ledger = new SqliteSpendLedger(database);
  const clock = { now: Date.parse('2026-12-04T15:00:00Z') };
  const localUrl = llama ? `${llama.url}/v1` : options.localDown ? 'http://127.0.0.1:9/v1' : undefined;
  const handle = createModelGateway({
    local: localUrl
      ? {
          client: createLocalModelClient({ baseUrl: localUrl, model: 'qwen2.5-test' }),
          probe: new LlamaCapacityProbe({ baseUrl: localUrl, timeoutMs: 2000 }),
          kvUnified: options.kvUnified ?? 'auto',
          reservedUserSlots: options.reservedUserSlots ?? 1,
          backgroundWaitMs: 120_000,
          pinSlots: true,
          defaultMaxOutputTokens: 256,
          refreshMs: 600_000,
        }
      : undefined,
    cloud: anthropic
      ? {
          client: createCloudModelClient({ model: 'claude-test', apiKey: 'sk-ant-test', baseUrl: `${anthropic.url}/v1` }),
          ...cloudPriceOf(options.cloudPrice),
          contextTokens: 32_000,
          defaultMaxOutputTokens: 512,
        }
      : undefined,
    ledger,
    caps: options.caps ?? { daily: 5 },
    cacheTtlMs: 300_000,
    now: () => clock.now,
    setTimer: (callback, ms) => {
      const timer = setTimeout(callback, ms);
      return () => clearTimeout(timer);
    },
    canary: { ...managementVmCanary(103), intervalMs: 600_000 },
  });
  await handle.refreshCapacity();
  return {
    handle,
    llama,
    anthropic,
    ledger,
    ledgerRows: () => database.prepare('SELECT * FROM llm_spend ORDER BY created_at, rowid').all() as Array<Record<string, unknown>>,
    clock,
    async close() {
      handle.stop();
      await Promise.all([llama?.close(), anthropic?.close()]);
      ledger.close();
    },
  };
}

export const USAGE_TOOL: ModelToolSpec = {
  name: 'get_resource_usage',
  description: 'CPU, RAM, disk of one VM (vmid), one node (node), or all nodes (no args).',
  inputSchema: { type: 'object', properties: { vmid: { type: 'integer' }, node: { type: 'string' } } },
};

export function userRequest(text: string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return {
    purpose: 'chat',
    class: 'user',
    category: 'routine',
    system: 'You are Jarvis, a Proxmox operator. Be brief.',
    messages: [{ role: 'user', content: text }],
    ...extra,
  };
}

/** Chat-completion bodies the llama fake received. */
export function localBodies(llama: LlamaServerFake | undefined): Array<Record<string, unknown>> {
  return (llama?.requests.list() ?? []).filter((entry) => entry.path.startsWith('/v1/chat/completions')).map((entry) => entry.body as Record<string, unknown>);
}

export function cloudBodies(anthropic: AnthropicFake | undefined): Array<Record<string, unknown>> {
  return (anthropic?.requests.list() ?? []).filter((entry) => entry.path.startsWith('/v1/messages')).map((entry) => entry.body as Record<string, unknown>);
}
